"""Content models (labs, checks, quizzes, the course map) and their YAML loader."""
