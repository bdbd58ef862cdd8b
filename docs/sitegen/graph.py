"""The forward graph, drawn with Graphviz from the table of tensors: one node per tensor, one edge
per input of a line of the forward pass, labelled with its operation. A chapter's edges are the
uses of the tensors whose gradients it computes, up to the tensors whose gradients it is given
(the loss when it is given none): the lines of the forward pass its step goes back through."""

NODE_STYLE = {
    "intermediate": 'shape=ellipse, fillcolor="#eef3fb"',
    "parameter": 'shape=box, fillcolor="#fdf1dc"',
    "batch": 'shape=box, style="dashed,filled", fillcolor="#ffffff"',
    "loss": 'shape=doubleoctagon, fillcolor="#fbe3e3"',
}
HIGHLIGHT = "#c0392b"


def model_tensors(tensors, model):
    """The rows of the table that belong to `model`: "batchnorm" (the lecture's) or "layernorm"."""
    return [t for t in tensors if t.in_model(model)]


def edges_of(tensors):
    """Every (input, output, operation) of the forward pass of the model of `tensors` (rows of
    one model: model_tensors), the loss's included."""
    names = {t.name for t in tensors} | {"Xb"}
    edges = [(name, t.name, op) for t in tensors for name, op in t.inputs if name in names]
    return edges + [("logprobs", "loss", "pick, mean"), ("Yb", "loss", "pick")]


def kind_of(name, tensors):
    if name in ("Xb", "Yb"):
        return "batch"
    if name == "loss":
        return "loss"
    return next(t.kind for t in tensors if t.name == name)


def owner(name, chapters, model="batchnorm"):
    """The chapter a node of `model`'s graph links to: the first of that model's chapters that
    derives its gradient, else the first of any, else the first whose step reads it (chapter
    24's lnraw and lnvar_inv), else the setup (the minibatch, the loss)."""
    own = [c for c in chapters if c.info.get("model", "batchnorm") == model]
    for key, among in (("grads", own), ("grads", chapters), ("inputs", chapters)):
        for c in among:
            if name in c.list(key):
                return c
    return chapters[0]


def chapter_edges(chapter, edges):
    """The edges a chapter's step goes back through."""
    sources = set(chapter.list("grads"))
    targets = {name[1:] for name in chapter.list("inputs") if name.startswith("d")} or {"loss"}
    if not sources:  # the setup and the training loop: the whole pass
        return {(u, v) for u, v, _ in edges}
    ahead, frontier = set(sources), list(sources)
    while frontier:  # what the sources reach, stopping at the targets
        u = frontier.pop()
        for a, b, _ in edges:
            if a == u and b not in ahead:
                ahead.add(b)
                if b not in targets:
                    frontier.append(b)
    behind, frontier = set(targets), list(targets)
    while frontier:  # what reaches the targets
        v = frontier.pop()
        for a, b, _ in edges:
            if b == v and a not in behind:
                behind.add(a)
                frontier.append(a)
    return {(a, b) for a, b, _ in edges if a in ahead and a not in targets and b in behind}


def node_line(name, tensors, chapters, highlighted, faded, here=None, model="batchnorm"):
    """A node, linked to the chapter that derives its gradient (not when that is the page it is
    on, `here`)."""
    c = owner(name, chapters, model)
    style = NODE_STYLE[kind_of(name, tensors)]
    colour = HIGHLIGHT if highlighted else ("#b8b8b8" if faded else "#5470a0")
    tip = f"d{name}: chapter {c.number:02d}" if name not in ("Xb", "Yb", "loss") else f"{name}: chapter 00"
    width = ', penwidth=2' if highlighted else ""
    link = "" if c is here else f'URL="\\ref {c.label}", '
    return f'  {name} [{style}, color="{colour}"{width}, {link}tooltip="{tip}"];'


def edge_line(a, b, op, highlighted, faded):
    colour = HIGHLIGHT if highlighted else ("#c8c8c8" if faded else "#5470a0")
    extra = ", penwidth=2.2" if highlighted else ""
    return (f'  {a} -> {b} [label="{op}", color="{colour}", fontcolor="{colour}"{extra}];')


HEADER = ["digraph forward {",
          '  rankdir=TB; nodesep=0.25; ranksep=0.22; bgcolor="transparent";',
          '  node [fontname="Helvetica", fontsize=10, height=0.25, margin="0.06,0.02", style=filled];',
          '  edge [arrowsize=0.7, fontname="Helvetica", fontsize=9];']


def forward_graph(tensors, chapters):
    """The main page's graph, the lecture's model: every tensor and edge; each fused chapter as a
    dashed cluster of the nodes of its edges but the intermediate it starts from (its parameters
    are inside). Chapter 24's LayerNorm has its own graph on its page."""
    tensors = model_tensors(tensors, "batchnorm")
    chapters = [c for c in chapters if c.info.get("model", "batchnorm") == "batchnorm"]
    edges = edges_of(tensors)
    names = ["Xb", "Yb", "loss"] + [t.name for t in tensors]
    lines = list(HEADER)
    clustered = set()
    for c in chapters:
        if not c.info.get("composes"):
            continue
        starts = {g for g in c.list("grads") if kind_of(g, tensors) == "intermediate"}
        members = {n for edge in chapter_edges(c, edges) for n in edge} - starts
        clustered |= members
        lines.append(f"  subgraph cluster_{c.name} {{")
        lines.append(f'    label="{c.name.replace("_", "-")}, fused: chapter {c.number:02d}"; '
                     f'URL="\\ref {c.label}"; style="rounded,dashed"; color="#9a9a9a"; '
                     'fontname="Helvetica"; fontsize=10;')
        lines += ["  " + node_line(n, tensors, chapters, False, False) for n in sorted(members)]
        lines.append("  }")
    lines += [node_line(n, tensors, chapters, False, False) for n in names if n not in clustered]
    lines += [edge_line(a, b, op, False, False) for a, b, op in edges]
    return "\n".join(lines + ["}"])


def chapter_graph(chapter, tensors, chapters):
    """A chapter's part of the graph of its model: its edges highlighted, with their neighbours
    for context."""
    model = chapter.info.get("model", "batchnorm")
    tensors = model_tensors(tensors, model)
    edges = edges_of(tensors)
    mine = chapter_edges(chapter, edges)
    core = {n for edge in mine for n in edge}
    near = core | {a for a, b, _ in edges if b in core} | {b for a, b, _ in edges if a in core}
    lines = list(HEADER)
    lines += [node_line(n, tensors, chapters, n in core, n not in core, chapter, model)
              for n in sorted(near)]
    lines += [edge_line(a, b, op, (a, b) in mine, (a, b) not in mine)
              for a, b, op in edges if a in near and b in near]
    return "\n".join(lines + ["}"])
