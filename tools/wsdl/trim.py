#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later WITH openvpn-openssl-exception
"""Keeps only the named operations of a WSDL (Makefile.gsoap's OPERATIONS).

    trim.py --operations "Op1 Op2" --out DIR WSDL
    trim.py --operations all --out DIR WSDL
    trim.py --operations ... --out DIR --typemap wsdl/typemap.dat WSDL
    trim.py --list WSDL                         # the WSDL's operations, one a line

Writes DIR/<name of WSDL> and every local document it imports or includes that is still
needed, each under a flat name (references rewritten), so that wsdl2h can run in DIR.
With --typemap, DIR/typemap.dat too: a copy of that wsdl2h type map, plus a line that maps
the type of the SuccessCode element (whatever the WSDL calls it) to std::string. That element
is the first xs:element named SuccessCode with a type, in the WSDL as written, otherwise in
the other documents written (schemas before WSDLs, by name); its type is named with the
prefix the type map gives the type's namespace (none given: a warning, and no line).

What is kept of the WSDL and the documents it imports (wsdl:import, xs:import, xs:include):
  - in every portType and every binding: the named operations only; their messages (input,
    output, fault, soap:header); portTypes and bindings left without operations, and the
    service ports of those bindings, go;
  - in every schema: the components the kept messages reach, transitively: element and type
    references, base types, list and union member types, groups, attribute groups, the
    global elements of a namespace that an xs:any names, the types derived from a kept
    type (they may stand in its place through xsi:type) and the members of a kept element's
    substitution group; imports and includes of documents or namespaces that keep nothing,
    and schemas left empty, go;
  - the kept components of each schema are written in the order in which they are first
    reached from the kept operations (the order of the portType; input, then output, then
    faults; depth first, a type before the types it uses): the layout in which ASMX
    publishes a service that has only those operations. wsdl2h's output depends on that
    order, so the bindings from a trimmed large WSDL are the same as from a WSDL that only
    ever had those operations, wherever else the shared types are used first.
With `all`, nothing is removed or reordered (the documents are only copied, flat).

An operation that is not in the WSDL is an error that names it (exit 2).
"""

import argparse
import os
import re
import sys

from lxml import etree

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import wsdlset as W  # noqa: E402
from wsdlset import WSDL, XS, SOAP11, SOAP12, q  # noqa: E402

QNAME_ATTRIBUTES = ("type", "ref", "base", "itemType", "memberTypes", "substitutionGroup", "element",
                    "message", "binding", "refer")


def select_operations(docset, requested):
    ops, missing = docset.requested_operations(requested)
    if missing:
        lines = ["operation %s is not in the WSDL %s%s" % (
            op, docset.given, (" (did you mean %s?)" % ", ".join(close)) if close else "") for op, close in missing]
        raise W.WsdlError("\n".join(lines) + "\n(it has %d operations; `trim.py --list WSDL` lists them)"
                          % len(docset.operations()))
    return ops


class Reach:
    """The components the kept operations reach, in first-reach order."""

    def __init__(self, docset):
        self.ds = docset
        self.order = []
        self.seen = set()
        self.missing = {}

    def visit(self, key, via):
        # Depth first, preorder, without recursion (schemas nest deeply enough to matter).
        stack = [iter([(key, via)])]
        while stack:
            try:
                k, why = next(stack[-1])
            except StopIteration:
                stack.pop()
                continue
            if k in self.seen:
                continue
            el = self.ds.get(k)
            if el is None:
                if k[1] not in W.BUILTIN_NAMESPACES:
                    self.missing.setdefault(k, why)
                continue
            self.seen.add(k)
            self.order.append(k)
            stack.append(iter(self.children(k, el)))

    def visit_message(self, msg_key, via):
        """A message, then the element or type of each of its parts."""
        self.visit(msg_key, via)
        for _, element, type_ in self.ds.message_parts(msg_key) or []:
            for k in (element, type_):
                if k is not None:
                    self.visit(k, msg_key)

    def children(self, key, el):
        if key[0] in ("message", "portType", "binding", "service"):
            return []  # WSDL components are walked by the caller
        refs, wildcards = W.schema_refs(el, self.ds)
        out = [(r, key) for r in refs]
        for ns in wildcards:
            out.extend((k, key) for k in self.ds.component_order if k[0] == "element" and k[1] == ns)
        return out

    def close_over_derivations(self):
        """Types derived from a kept type, and substitution group members of a kept element:
        passes over the components in document order until one adds nothing."""
        # (derived type, its base) and (member, its head), in document order, worked out once.
        pending = []
        for k in self.ds.component_order:
            if k in self.seen:
                continue
            el = self.ds.get(k)
            if k[0] == "type":
                base = W.derivation_base(el)
            elif k[0] == "element" and el.get("substitutionGroup"):
                base = ("element",) + W.resolve_qname(el, el.get("substitutionGroup"))
            else:
                continue
            if base is not None:
                pending.append((k, base))
        changed = True
        while changed:
            changed = False
            for k, base in pending:
                if k not in self.seen and base in self.seen:
                    self.visit(k, base)
                    changed = True
            pending = [(k, base) for k, base in pending if k not in self.seen]

    def check(self):
        problems = []
        for k, why in self.missing.items():
            not_here, text = self.ds.missing_component(k, "%s {%s}%s" % why if why else "an operation")
            if not_here:
                problems.append(text)
            else:
                print("trim: warning: %s" % text, file=sys.stderr)
        if problems:
            raise W.WsdlError("\n".join(problems))


def message_keys(op_el):
    out = []
    for tag in ("input", "output", "fault"):
        for io in op_el.findall(q(WSDL, tag)):
            if io.get("message"):
                out.append(("message",) + W.resolve_qname(io, io.get("message")))
    return out


def trim(docset, keep_ops):
    ds = docset
    reach = Reach(ds)
    keep = set(keep_ops)
    kept_port_types = set()
    # The portTypes' operations, in document order: their messages and what those reach.
    for key, pt in ds.port_types():
        for op in list(pt.findall(q(WSDL, "operation"))):
            if op.get("name") not in keep:
                remove_keeping_layout(op)
                continue
            kept_port_types.add(key)
            for mk in message_keys(op):
                reach.visit_message(mk, None)
    kept_bindings = set()
    for key, b in ds.bindings():
        if ds.port_type_of(b) not in kept_port_types:
            continue
        kept_bindings.add(key)
        for op in list(b.findall(q(WSDL, "operation"))):
            if op.get("name") not in keep:
                remove_keeping_layout(op)
                continue
            # Header messages (soap:header / soap12:header message="...").
            for h in op.iter(q(SOAP11, "header"), q(SOAP12, "header"), q(SOAP11, "headerfault"), q(SOAP12, "headerfault")):
                if h.get("message"):
                    reach.visit_message(("message",) + W.resolve_qname(h, h.get("message")), key)
        reach.visit(key, None)
    reach.close_over_derivations()
    reach.check()
    rank = {k: i for i, k in enumerate(reach.order)}

    # WSDL components: messages, portTypes, bindings that are not kept; ports of bindings gone.
    for key in ds.component_order:
        el, owner = ds.components[key]
        if key[0] in ("message", "portType", "binding") and key not in reach.seen and key not in kept_port_types:
            remove_keeping_layout(el)
        elif key[0] == "service":
            for port in list(el.findall(q(WSDL, "port"))):
                bk = ("binding",) + W.resolve_qname(port, port.get("binding", ""))
                if bk not in kept_bindings:
                    remove_keeping_layout(port)
    kept_namespaces = {k[1] for k in reach.seen}

    # Schemas: unreached components go, the rest in first-reach order.
    for schema in ds.schemas:
        kept = []  # (rank, component)
        for local, child in list(W.xs_children(schema.el)):
            space = W.SCHEMA_SPACES.get(local)
            if not space or not child.get("name"):
                continue
            key = (space, schema.tns, child.get("name"))
            if ds.get(key) is child and key in reach.seen:
                kept.append((rank[key], child))
            else:
                remove_keeping_layout(child)
        reorder(schema.el, [child for _, child in sorted(kept, key=lambda rc: rc[0])])

    # References: imports of namespaces that keep nothing, includes of documents that keep
    # nothing; then documents nobody references any more.
    # The documents that hold a kept component (a schema component's owner is its Schema).
    holding = {getattr(owner, "doc", owner).path for owner in (ds.owner(k) for k in reach.seen) if owner is not None}

    def doc_keeps(doc, seen=None):
        seen = seen or set()
        if doc.path in seen:
            return False
        seen.add(doc.path)
        if doc.path in holding:
            return True
        return any(r.target is not None and doc_keeps(r.target, seen) for r in doc.refs if r.el.tag != q(XS, "import"))

    for doc in ds.docs:
        for el in list(doc.root.iter(q(XS, "import"))):
            if el.get("namespace", "") not in kept_namespaces:
                remove_keeping_layout(el)
        # doc.refs are in document order and still in the tree (only xs:imports went above).
        for ref in doc.refs:
            if ref.el.tag in (q(XS, "include"), q(WSDL, "import")) and ref.target is not None \
                    and not doc_keeps(ref.target):
                remove_keeping_layout(ref.el)
    for schema in ds.schemas:
        s = schema.el
        if schema.doc is ds.main and not any(isinstance(c.tag, str) and etree.QName(c).localname != "annotation" for c in s):
            remove_keeping_layout(s)
    drop_unused_namespace_declarations(ds, kept_namespaces)
    return reach


def reorder(parent, ordered):
    """Puts the elements `ordered` (children of parent) last, in that order, keeping the
    indentation: each takes the whitespace that followed a component, the last the parent's
    closing whitespace."""
    if not ordered:
        return
    children = [c for c in parent]
    closing = children[-1].tail
    between = children[0].tail if len(children) > 1 else closing
    for c in ordered:
        parent.remove(c)
    for c in ordered:
        c.tail = between
        parent.append(c)
    ordered[-1].tail = closing


def remove_keeping_layout(el):
    """Removes el; when it was the last child, the whitespace before the parent's end tag stays."""
    parent = el.getparent()
    if el.getnext() is None:
        prev = el.getprevious()
        if prev is not None:
            prev.tail = el.tail
        else:
            parent.text = el.tail
    parent.remove(el)


def drop_unused_namespace_declarations(ds, kept_namespaces):
    """xmlns declarations of namespaces that had components and keep none (e.g. a DataSet's)."""
    had = {k[1] for k in ds.components}
    gone = had - kept_namespaces - {d.root.get("targetNamespace", "") for d in ds.docs if d.kind == "wsdl"}
    for doc in ds.docs:
        prefixes = set()
        for el in doc.root.iter():
            if isinstance(el.tag, str):
                for prefix, ns in el.nsmap.items():
                    if ns not in gone and prefix is not None:
                        prefixes.add(prefix)
        # A prefix still used in a QName-valued attribute stays too.
        for el in doc.root.iter():
            if not isinstance(el.tag, str):
                continue
            for attr in QNAME_ATTRIBUTES:
                for v in (el.get(attr) or "").split():
                    if ":" in v:
                        prefixes.add(v.split(":", 1)[0])
        etree.cleanup_namespaces(doc.tree, keep_ns_prefixes=sorted(prefixes))


def write(ds, out_dir):
    """Writes every referenced document under its flat name, references rewritten; the Docs
    written, in the order written."""
    os.makedirs(out_dir, exist_ok=True)
    reachable = []
    queue = [ds.main]
    while queue:
        doc = queue.pop(0)
        if doc in reachable:
            continue
        reachable.append(doc)
        for ref in doc.refs:
            if ref.target is not None and is_attached(ref.el, doc):
                ref.el.set(ref.attr, ref.target.name)
                queue.append(ref.target)
    for doc in reachable:
        doc.tree.write(os.path.join(out_dir, doc.name), xml_declaration=True, encoding="utf-8")
    return reachable


def success_code_type(ds, docs):
    """(namespace, local) of the type of the first xs:element named SuccessCode that has a
    type: in the WSDL, otherwise in the other documents of docs (schemas before WSDLs, each
    by name); None when there is none."""
    others = sorted((d for d in docs if d is not ds.main), key=lambda d: (not d.name.endswith(".xsd"), d.name))
    for doc in [ds.main] + others:
        for el in doc.root.iter(q(XS, "element")):
            if el.get("name") == "SuccessCode" and el.get("type"):
                return W.resolve_qname(el, el.get("type"))
    return None


def typemap_prefixes(text):
    """namespace -> prefix, from the `prefix = "namespace"` lines of a wsdl2h type map."""
    out = {}
    for line in text.splitlines():
        m = re.match(r'\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*"([^"]*)"', line)
        if m:
            out.setdefault(m.group(2), m.group(1))
    return out


def write_typemap(src, dst, ds, docs):
    """src copied to dst, plus the line that maps the SuccessCode element's type to
    std::string (wsdl2h then reads any code as text, a code it does not know included)."""
    try:
        with open(src, "rb") as f:
            data = f.read()
    except OSError as e:
        raise W.WsdlError("cannot read %s: %s" % (src, e.strerror))
    found = success_code_type(ds, docs)
    if found is not None and found[0] not in W.BUILTIN_NAMESPACES:
        prefix = typemap_prefixes(data.decode("utf-8", "replace")).get(found[0])
        if prefix is None:
            print("trim: warning: %s gives the namespace %s of SuccessCode's type %s no prefix: SuccessCode "
                  "stays as wsdl2h maps it" % (src, found[0], found[1]), file=sys.stderr)
        else:
            name = "%s__%s" % (prefix, found[1])
            data += ("\n# derived by Makefile.gsoap from the WSDL: SuccessCode as text\n"
                     "%s = typedef std::string %s; | %s | %s\n" % (name, name, name, name)).encode("utf-8")
    with open(dst, "wb") as f:
        f.write(data)


def is_attached(el, doc):
    """el is still in doc's tree (trim has not removed it or an ancestor)."""
    node = el
    while node.getparent() is not None:
        node = node.getparent()
    return node is doc.root


def main(argv=None):
    ap = argparse.ArgumentParser(description="Keep only the named operations of a WSDL.")
    ap.add_argument("--operations", help='operation names, space-separated, or "all"')
    ap.add_argument("--out", help="folder to write the WSDL and its documents into")
    ap.add_argument("--list", action="store_true", help="print the WSDL's operations and exit")
    ap.add_argument("--name", help="file name of the WSDL in --out (default: its own)")
    ap.add_argument("--typemap", help="a wsdl2h type map to write into --out as typemap.dat, with a line that "
                                      "maps the SuccessCode element's type to std::string")
    ap.add_argument("wsdl")
    args = ap.parse_args(argv)
    try:
        ds = W.DocSet(args.wsdl, main_name=args.name or os.path.basename(args.wsdl))
        if args.list:
            print("\n".join(ds.operations()))
            return 0
        if args.operations is None or args.out is None:
            ap.error("--operations and --out are required")
        requested = args.operations.split()
        if not requested:
            raise W.WsdlError("OPERATIONS is empty: name at least one operation, or all")
        ops = select_operations(ds, requested)
        total = len(ds.operations())
        if requested != ["all"]:
            trim(ds, ops)
        written = write(ds, args.out)
        if args.typemap:
            write_typemap(args.typemap, os.path.join(args.out, "typemap.dat"), ds, written)
        print("trim: kept %d of %d operations: %s" % (
            len(ops), total, " ".join(ops) if len(ops) <= 8 else "%s ..." % " ".join(ops[:8])))
        print("trim: wrote %s into %s" % (", ".join(d.name for d in written), args.out))
        return 0
    except W.WsdlError as e:
        print("trim: %s" % e, file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
