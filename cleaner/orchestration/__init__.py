"""Orchestration: what the Airflow DAGs in dags/ share and call.

    settings.py   the asset, defaults from the environment, schedule and retries; cheap to
                  import, so the DAG files read them at parse time instead of copying them
    airflow_tasks.py   the Airflow pieces both DAGs use: the asset, the mapped clean task,
                  the final step (manifest, report, asset event)
    tasks.py      the task bodies, as functions of typed values (`CleanParams`,
                  `FetchParams`, `RunInfo`) returning typed results; the DAG files turn
                  Airflow's context into those values and the results back into XCom,
                  map-index labels and asset events

The work itself is in `cleaner.runner` (batches, fetch runs), which knows nothing of
Airflow: `cleaner clean` and `cleaner fetch` run the same functions in one process.
"""
