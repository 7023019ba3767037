"""The package version, recorded in every document's metadata."""

VERSION = "0.1.0"
