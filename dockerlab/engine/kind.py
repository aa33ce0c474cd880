"""What kind of engine answers: which image store it keeps images in, and whether it is Docker
Desktop's. Read from `GET /info` (`docker info`): a pure function of its answer, so it is tested
with the answers the Docker Engine API documentation records.

- Image store: Docker Engine 29 keeps images in the containerd image store on fresh installs
  (older engines and upgraded ones: the classic graph driver, `overlay2`). With the containerd
  store, `DriverStatus` holds `["driver-type", "io.containerd.snapshotter.v1"]` and `Driver` names
  the snapshotter (`overlayfs`).
- Docker Desktop: `OperatingSystem` is "Docker Desktop". Its engine runs in a VM, which copies
  the host's `~/.docker/certs.d` into its `/etc/docker/certs.d` when Docker Desktop starts.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

CONTAINERD_SNAPSHOTTER = "io.containerd.snapshotter.v1"
DESKTOP_OS = "Docker Desktop"


@dataclass(frozen=True)
class EngineKind:
    containerd_store: bool
    driver: str  # the graph driver, or the containerd snapshotter
    desktop: bool

    def image_store(self) -> str:
        if self.containerd_store:
            return f"the containerd image store (snapshotter {self.driver})"
        return f"the classic graph driver store ({self.driver})"


def engine_kind(info: Mapping[str, Any]) -> EngineKind:
    """The kind of engine that gave this `GET /info` answer."""
    status = info.get("DriverStatus") or []
    containerd = any(
        isinstance(pair, list | tuple) and list(pair[:2]) == ["driver-type", CONTAINERD_SNAPSHOTTER]
        for pair in status
    )
    return EngineKind(
        containerd_store=containerd,
        driver=str(info.get("Driver") or "unknown"),
        desktop=str(info.get("OperatingSystem") or "").strip() == DESKTOP_OS,
    )
