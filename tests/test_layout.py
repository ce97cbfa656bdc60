"""The Python layout of big networks (`diplokg.layout`): readable (communities apart, hubs in
the middle of their neighbours, no pile-ups, components packed apart) and fast at 20,000 nodes."""

from __future__ import annotations

import math
import time

import networkx as nx
import numpy as np
import pytest

from diplokg import layout as lay
from diplokg.layout import layout

SPACING = 130.0


def planted_groups(groups: int, size: int, p_in: float, p_out: float, seed: int = 1):
    """Nodes in `groups` groups of `size`, linked with probability `p_in` inside a group and
    `p_out` across; returns (nodes, edges, group of each node)."""
    rng = np.random.default_rng(seed)
    n = groups * size
    group = np.repeat(np.arange(groups), size)
    a, b = np.triu_indices(n, 1)
    linked = rng.random(len(a)) < np.where(group[a] == group[b], p_in, p_out)
    nodes = [f"v{i}" for i in range(n)]
    return nodes, [(nodes[i], nodes[j]) for i, j in zip(a[linked], b[linked])], group


def as_array(pos: dict, nodes: list) -> np.ndarray:
    return np.array([pos[node] for node in nodes])


def nearest_distances(xy: np.ndarray) -> np.ndarray:
    d = np.sqrt(((xy[:, None, :] - xy[None, :, :]) ** 2).sum(-1))
    np.fill_diagonal(d, np.inf)
    return d.min(1)


def test_components_are_the_connected_components():
    g = nx.gnm_random_graph(600, 450, seed=3)
    src, dst, _w = lay._edge_arrays(list(g.nodes), list(g.edges))
    root = lay._components(g.number_of_nodes(), src, dst)
    ours = sorted(sorted(np.flatnonzero(root == r).tolist()) for r in np.unique(root))
    assert ours == sorted(sorted(c) for c in nx.connected_components(g))
    assert all((root[list(c)] == min(c)).all() for c in nx.connected_components(g))  # named by the smallest


def test_communities_find_planted_groups_like_louvain():
    nodes, edges, group = planted_groups(6, 50, 0.3, 0.004)
    src, dst, weight = lay._edge_arrays(nodes, edges)
    found = lay._communities(lay._level(src, dst, weight, len(nodes)), np.random.default_rng(0), rounds=30)
    # each planted group lies (almost) wholly in one community
    purity = sum(np.bincount(found[group == g]).max() for g in range(6)) / len(nodes)
    assert purity >= 0.95
    g = nx.Graph()
    g.add_weighted_edges_from(zip(src.tolist(), dst.tolist(), weight.tolist()))
    ours = nx.community.modularity(g, [set(np.flatnonzero(found == c).tolist()) for c in np.unique(found)])
    theirs = nx.community.modularity(g, nx.community.louvain_communities(g, seed=0))
    assert ours >= 0.95 * theirs


def test_layout_keeps_communities_apart():
    nodes, edges, group = planted_groups(8, 60, 0.15, 0.002)
    xy = as_array(layout(nodes, edges), nodes)
    # most nodes have mostly their own group around them
    d = np.sqrt(((xy[:, None, :] - xy[None, :, :]) ** 2).sum(-1))
    np.fill_diagonal(d, np.inf)
    around = np.argsort(d, 1)[:, :8]
    own = (group[around] == group[:, None]).mean(1)
    assert (own > 0.5).mean() >= 0.95
    # and the groups are apart: their centres are further apart than the groups are wide
    centres = np.array([xy[group == g].mean(0) for g in range(8)])
    radius = max(np.sqrt(((xy[group == g] - centres[g]) ** 2).sum(1)).mean() for g in range(8))
    gaps = [math.dist(centres[i], centres[j]) for i in range(8) for j in range(i + 1, 8)]
    assert min(gaps) > 5 * radius


def test_a_hub_sits_in_the_middle_of_its_neighbours_with_no_pile_up():
    nodes = ["hub"] + [f"leaf{i}" for i in range(400)]
    pos = layout(nodes, [("hub", leaf) for leaf in nodes[1:]])
    xy = as_array(pos, nodes)
    leaves = xy[1:]
    reach = np.sqrt(((leaves - xy[0]) ** 2).sum(1))
    assert math.dist(xy[0], leaves.mean(0)) < 0.15 * np.median(reach)
    nearest = nearest_distances(xy)
    # a node's nearest neighbour is typically 0.6 × spacing away; none sits on another
    assert 0.4 * SPACING < np.median(nearest) < 0.8 * SPACING
    assert (nearest < 0.2 * SPACING).mean() <= 0.08 and nearest.min() > 0.02 * SPACING


def test_components_are_laid_out_apart_and_packed_biggest_first():
    rng = np.random.default_rng(5)
    nodes, edges, comp_of = [], [], {}
    sizes = [300, 80] + rng.integers(1, 9, 150).tolist()
    for c, size in enumerate(sizes):
        ids = [f"c{c}n{i}" for i in range(size)]
        nodes += ids
        comp_of.update((node, c) for node in ids)
        edges += [(ids[i], ids[int(rng.integers(0, i))]) for i in range(1, size)]  # a random tree
    pos = layout(nodes, edges)
    assert set(pos) == set(nodes)
    boxes = []
    for c in range(len(sizes)):
        xy = np.array([pos[node] for node in nodes if comp_of[node] == c])
        boxes.append((*xy.min(0), *xy.max(0)))
    # no two components overlap
    for i, (x0, y0, x1, y1) in enumerate(boxes):
        for u0, v0, u1, v1 in boxes[i + 1:]:
            assert x1 < u0 or u1 < x0 or y1 < v0 or v1 < y0
    # the biggest component comes first (top left), small ones stay small and tidy
    assert boxes[0][0] == min(b[0] for b in boxes) and boxes[0][1] == min(b[1] for b in boxes)
    for c, size in enumerate(sizes[2:], start=2):
        x0, y0, x1, y1 = boxes[c]
        assert max(x1 - x0, y1 - y0) < 1.2 * SPACING * size
    linked = [math.dist(pos[u], pos[v]) for u, v in edges if comp_of[u] >= 2]
    assert np.median(linked) < 1.5 * SPACING


def test_layout_of_20000_nodes_takes_seconds_not_minutes():
    """A big community graph plus thousands of small components (an event and its
    participants): both once took minutes. Generous bound; typical is well under a second."""
    rng = np.random.default_rng(11)
    nodes, edges, group = planted_groups(20, 400, 0.012, 0.0002, seed=2)  # 8,000 nodes
    start = len(nodes)
    while len(nodes) < 20_000:
        size = int(rng.integers(1, 7))
        ids = [f"s{start + i}" for i in range(size)]
        start += size
        nodes += ids
        edges += [(ids[0], other) for other in ids[1:]]
    began = time.perf_counter()
    pos = layout(nodes, edges)
    elapsed = time.perf_counter() - began
    assert len(pos) == len(nodes) and all(math.isfinite(x) and math.isfinite(y) for x, y in pos.values())
    assert elapsed < 10, f"layout of {len(nodes)} nodes took {elapsed:.1f} s"


def test_small_components_in_any_node_order():
    """The nodes of small components come interleaved (the viewer sorts nodes by IRI)."""
    nodes = [f"{c}{i}" for i in range(3) for c in "abcdefgh"]  # a0 b0 ... h0 a1 b1 ...
    edges = [(f"{c}0", f"{c}1") for c in "abcd"]  # pairs a-d (and a2..d2 alone)
    edges += [(f"{c}{i}", f"{c}{(i + 1) % 3}") for c in "efgh" for i in range(3)]  # triangles e-h
    pos = layout(nodes, edges)
    xy = as_array(pos, nodes)
    assert nearest_distances(xy).min() > 0.3 * SPACING
    for u, v in edges:
        assert 0.3 * SPACING < math.dist(pos[u], pos[v]) < 1.2 * SPACING


@pytest.mark.parametrize("n", [3, 61, 150])
def test_odd_sizes_and_duplicate_edges(n):
    nodes = list(range(n))
    edges = [(i, (i + 1) % n) for i in range(n)] * 2 + [(0, 0)]  # a ring, every edge twice, a loop
    first, second = layout(nodes, edges, seed=3), layout(nodes, edges, seed=3)
    assert first == second and len(first) == n
    xy = as_array(first, nodes)
    assert np.isfinite(xy).all() and nearest_distances(xy).min() > 0.1 * SPACING
