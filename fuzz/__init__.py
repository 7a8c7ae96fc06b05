"""Coverage-guided fuzzing of specc with atheris (``pip install -e '.[fuzz]'``); see README.md."""
