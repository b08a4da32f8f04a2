"""The power map: who connects to whom, who is central, and who can get us a meeting.

- :mod:`.graph`: actors and typed, dated, directed relationships in columnar arrays;
  filters by type and date.
- :mod:`.measures`: degree, betweenness (Brandes 2001), eigenvector (Bonacich 1972),
  PageRank (Brin and Page 1998) and Louvain communities (Blondel et al. 2008), on networkx
  for small maps and compiled code (rustworkx, scipy sparse, vectorized numpy) for large
  ones behind one interface.
- :mod:`.paths`: shortest paths (bidirectional search, Pohl 1971), k shortest paths (Yen
  1971) and brokers between our coalition and a target (subset betweenness, Brandes 2008).
"""

from broadfront.analysis.network.graph import (
    RELATIONSHIP_TYPES,
    SYMMETRIC_TYPES,
    Actor,
    PowerMap,
    Relationship,
    build_power_map,
    filter_map,
)
from broadfront.analysis.network.measures import (
    Centrality,
    Communities,
    centrality,
    communities,
)
from broadfront.analysis.network.paths import (
    MAX_PATHS,
    Broker,
    Brokers,
    Path,
    Paths,
    Step,
    brokers,
    shortest_paths,
)

__all__ = [
    "MAX_PATHS",
    "RELATIONSHIP_TYPES",
    "SYMMETRIC_TYPES",
    "Actor",
    "Broker",
    "Brokers",
    "Centrality",
    "Communities",
    "Path",
    "Paths",
    "PowerMap",
    "Relationship",
    "Step",
    "brokers",
    "build_power_map",
    "centrality",
    "communities",
    "filter_map",
    "shortest_paths",
]
