"""Training and corpus tools: what developers need to build the line model and measure
the cleaner, and users never load at run time.

    corpus.py   corpus folders and their gold, naive plaintext rendering, line labels
    renderings.py  a page as blocks, innerText, html2text Markdown or flattened navigation
    train.py    `cleaner train`: the two-stage line model, validated by site

`train.py` needs the `train` extra (scikit-learn); the cleaner itself needs only numpy to
apply the model it writes. `bench/` uses `corpus.py` to score every system alike.
"""
