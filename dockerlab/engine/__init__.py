"""The only package that imports the docker SDK: client, capability probe, images, cleanup."""

from dockerlab.engine.client import Engine, EngineError, EngineUnavailable

__all__ = ["Engine", "EngineError", "EngineUnavailable"]
