"""Tests of the bundled labs: each validates end to end; each diagnosis meets its real error."""
