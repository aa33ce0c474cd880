"""Instructor tooling: lint content, print JSON Schemas, scaffold new labs and quizzes."""
