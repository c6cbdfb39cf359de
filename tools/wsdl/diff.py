#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later WITH openvpn-openssl-exception
"""What changed between the pinned WSDL and a new one: `make -f Makefile.gsoap diff`.

    diff.py --pinned wsdl/BrightOfficeAPI.wsdl --operations "Op1 Op2"|all [fetch bounds] NEW

NEW is a file (its imports beside it, as `fetch` stores them) or an http(s) URL, which is
fetched into a scratch folder first (fetch.py, with the same bounds). For each operation in
--operations it compares the request and the response structure: element by element (by
name, recursively), their occurrence, simple types and enumerations, and the bindings'
SOAPAction, style and use. Each change is printed, marked by its direction:

  request (what this client sends)              response (what it reads)
  new optional element          additive        new element (optional or not)  additive
  new required element          breaking        element removed                 breaking
  element removed or renamed    breaking        element may now be absent       breaking
  element now required          breaking        (minOccurs 1 -> 0)
  enumeration value removed     breaking        new enumeration value           breaking,
  enumeration value added       additive          except in SuccessCode (text in the bindings)
  another simple type or structure (element <-> complex, list <-> single): breaking either way
  elements reordered: reported, not breaking (ASMX and gSOAP read elements in any order)
  a complex or simple type that only changed its name: reported, not breaking (nothing on
  the wire names it; ASMX names types after its .NET classes)
  operation gone, SOAPAction, namespace, style or use changed, a binding gone: breaking

Exit status: 0 unchanged or additive only, 1 at least one breaking change, 2 could not compare
(a WSDL that cannot be read or fetched, an operation of --operations missing from the pinned
WSDL).
"""

import argparse
import os
import shutil
import sys
import tempfile

from lxml import etree

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fetch as F  # noqa: E402
import wsdlset as W  # noqa: E402
from wsdlset import WSDL, XS, SOAP11, SOAP12, HTTP, q  # noqa: E402

UNBOUNDED = 1 << 30
BREAKING = "breaking"
ADDITIVE = "additive"


class CannotCompare(Exception):
    pass


# --- the structure of a WSDL, as the wire sees it ----------------------------------------------------
class ElementInfo:
    """An element particle: name, namespace, occurrence and its type (resolved lazily)."""

    def __init__(self, name, ns, min_occurs, max_occurs, nillable, type_ref):
        self.name = name
        self.ns = ns
        self.min = min_occurs
        self.max = max_occurs
        self.nillable = nillable
        self.type_ref = type_ref  # ("named", key) | ("anon", element) | ("anyType",)


def occurs(el, attr, default=1):
    v = el.get(attr)
    if v is None:
        return default
    if v == "unbounded":
        return UNBOUNDED
    try:
        return int(v)
    except ValueError:
        return default


class Model:
    def __init__(self, docset):
        self.ds = docset

    def element_form_qualified(self, el, schema):
        form = el.get("form")
        if form is not None:
            return form == "qualified"
        return schema.el.get("elementFormDefault", "unqualified") == "qualified"

    def type_ref_of(self, el):
        if el.get("type"):
            key = ("type",) + W.resolve_qname(el, el.get("type"))
            return ("named", key)
        for tag in ("complexType", "simpleType"):
            anon = el.find(q(XS, tag))
            if anon is not None:
                return ("anon", anon)
        return ("anyType",)

    def global_element(self, key):
        el = self.ds.get(key)
        if el is None:
            raise CannotCompare(self.ds.missing_component(key)[1])
        return ElementInfo(key[2], key[1], 1, 1, el.get("nillable") == "true", self.type_ref_of(el))

    def local_element(self, el):
        schema = self.ds.schema_of(el)
        if el.get("ref"):
            key = ("element",) + W.resolve_qname(el, el.get("ref"))
            g = self.global_element(key)
            return ElementInfo(g.name, g.ns, occurs(el, "minOccurs"), occurs(el, "maxOccurs"), g.nillable, g.type_ref)
        ns = schema.tns if self.element_form_qualified(el, schema) else ""
        return ElementInfo(el.get("name"), ns, occurs(el, "minOccurs"), occurs(el, "maxOccurs"),
                           el.get("nillable") == "true", self.type_ref_of(el))

    def type_element(self, type_ref):
        """(kind, element, name): kind "simple", "complex", "builtin" or "anyType"."""
        if type_ref[0] == "anyType":
            return "anyType", None, None
        if type_ref[0] == "anon":
            el = type_ref[1]
            return ("simple" if el.tag == q(XS, "simpleType") else "complex"), el, None
        key = type_ref[1]
        if key[1] in W.BUILTIN_NAMESPACES:
            if key[1] == XS and key[2] == "anyType":
                return "anyType", None, None
            return "builtin", None, key
        el = self.ds.get(key)
        if el is None:
            raise CannotCompare(self.ds.missing_component(key)[1])
        return ("simple" if el.tag == q(XS, "simpleType") else "complex"), el, key

    def simple(self, type_ref, depth=0):
        """{kind: atomic|list|union, base: (ns, local) of the built-in type, enums, facets}."""
        if depth > 64:
            raise CannotCompare("simple type derivation deeper than 64 levels")
        kind, el, key = self.type_element(type_ref)
        if kind == "builtin":
            return dict(kind="atomic", base=(key[1], key[2]), enums=None, facets={})
        if kind != "simple":
            return None
        restriction = el.find(q(XS, "restriction"))
        if restriction is not None:
            if restriction.get("base"):
                base = self.simple(("named", ("type",) + W.resolve_qname(restriction, restriction.get("base"))), depth + 1)
            else:
                inner = restriction.find(q(XS, "simpleType"))
                base = self.simple(("anon", inner), depth + 1) if inner is not None else None
            if base is None:
                raise CannotCompare("simple type %s restricts a type that is not simple" % (key or "(anonymous)",))
            enums = [e.get("value") for e in restriction.findall(q(XS, "enumeration"))]
            facets = dict(base["facets"])
            for local, f in W.xs_children(restriction):
                if local not in ("enumeration", "annotation", "simpleType"):
                    facets[local] = f.get("value")
            return dict(kind=base["kind"], base=base["base"], enums=enums or base["enums"], facets=facets)
        lst = el.find(q(XS, "list"))
        if lst is not None:
            return dict(kind="list", base=("list", lst.get("itemType") or "(anonymous)"), enums=None, facets={})
        union = el.find(q(XS, "union"))
        if union is not None:
            return dict(kind="union", base=("union", union.get("memberTypes") or "(anonymous)"), enums=None, facets={})
        return dict(kind="atomic", base=(XS, "anySimpleType"), enums=None, facets={})

    def complex(self, el, depth=0):
        """(particles, attributes, simple content or None) of a complexType element."""
        if depth > 64:
            raise CannotCompare("complex type derivation deeper than 64 levels")
        particles, attributes, simple = [], [], None
        for tag in ("complexContent", "simpleContent"):
            content = el.find(q(XS, tag))
            if content is None:
                continue
            deriv = content.find(q(XS, "extension"))
            if deriv is None:
                deriv = content.find(q(XS, "restriction"))
            if deriv is None:
                break
            base_ref = ("named", ("type",) + W.resolve_qname(deriv, deriv.get("base", "s:anyType")))
            if tag == "simpleContent":
                simple = self.simple(base_ref)
                if simple is None:  # extends a complex type with simple content
                    kind, base_el, _ = self.type_element(base_ref)
                    if kind == "complex":
                        _, base_attrs, simple = self.complex(base_el, depth + 1)
                        attributes.extend(base_attrs)
            elif deriv.tag == q(XS, "extension"):
                kind, base_el, _ = self.type_element(base_ref)
                if kind == "complex":
                    base_particles, base_attrs, _ = self.complex(base_el, depth + 1)
                    particles.extend(base_particles)
                    attributes.extend(base_attrs)
            particles.extend(self.particles_of(deriv))
            attributes.extend(self.attributes_of(deriv))
            return particles, attributes, simple
        particles.extend(self.particles_of(el))
        attributes.extend(self.attributes_of(el))
        return particles, attributes, simple

    def particles_of(self, el):
        out = []
        for local, child in W.xs_children(el):
            if local in ("sequence", "choice", "all"):
                out.extend(self.group(child))
            elif local == "group" and child.get("ref"):
                out.extend(self.particles_of_group_ref(child))
        return out

    def group(self, el):
        """A model group as particles: a plain sequence (once) is flattened into its parent."""
        local = etree.QName(el).localname
        items = []
        for c, child in W.xs_children(el):
            if c == "element":
                items.append(("element", self.local_element(child)))
            elif c in ("sequence", "choice", "all"):
                items.extend(self.group(child))
            elif c == "group" and child.get("ref"):
                items.extend(self.particles_of_group_ref(child))
            elif c == "any":
                items.append(("any", child.get("namespace", "##any"), occurs(child, "minOccurs"), occurs(child, "maxOccurs")))
        if local == "sequence" and occurs(el, "minOccurs") == 1 and occurs(el, "maxOccurs") == 1:
            return items
        return [("group", local, occurs(el, "minOccurs"), occurs(el, "maxOccurs"), items)]

    def particles_of_group_ref(self, ref):
        g = self.ds.get(("group",) + W.resolve_qname(ref, ref.get("ref")))
        if g is None:
            raise CannotCompare("group %s is defined nowhere" % ref.get("ref"))
        inner = []
        for gc in g:
            if isinstance(gc.tag, str) and etree.QName(gc).localname in ("sequence", "choice", "all"):
                inner.extend(self.group(gc))
        return [("group", "group " + ref.get("ref"), occurs(ref, "minOccurs"), occurs(ref, "maxOccurs"), inner)]

    def attributes_of(self, el):
        out = []
        for local, child in W.xs_children(el):
            if local == "attribute":
                if child.get("ref"):
                    ns, name = W.resolve_qname(child, child.get("ref"))
                    g = self.ds.get(("attribute", ns, name))
                    type_ref = self.type_ref_of(g) if g is not None else ("named", ("type", XS, "string"))
                else:
                    name = child.get("name")
                    type_ref = self.type_ref_of(child) if (child.get("type") or child.find(q(XS, "simpleType")) is not None) \
                        else ("named", ("type", XS, "anySimpleType"))
                out.append((name, child.get("use", "optional") == "required", type_ref))
            elif local == "attributeGroup" and child.get("ref"):
                g = self.ds.get(("attributeGroup",) + W.resolve_qname(child, child.get("ref")))
                if g is not None:
                    out.extend(self.attributes_of(g))
        return out

    # --- WSDL level ---
    def operation(self, name):
        """{name, input, output: [(part name, ("element"|"type", ns, local))], bindings: {label: info}}."""
        for key, pt in self.ds.port_types():
            for op in pt.findall(q(WSDL, "operation")):
                if op.get("name") != name:
                    continue
                info = dict(name=name, input=self.parts(op, "input"), output=self.parts(op, "output"),
                            bindings=self.bindings_of(key, name))
                return info
        return None

    def parts(self, op, tag):
        io = op.find(q(WSDL, tag))
        if io is None or not io.get("message"):
            return None
        parts = self.ds.message_parts(("message",) + W.resolve_qname(io, io.get("message")))
        if parts is None:
            raise CannotCompare("message %s of operation %s is defined nowhere" % (io.get("message"), op.get("name")))
        return [(part, element or type_) for part, element, type_ in parts if element or type_]

    def bindings_of(self, pt_key, name):
        out = {}
        for key, b in self.ds.bindings_of(pt_key):
            if b.find(q(SOAP11, "binding")) is not None:
                ns, label = SOAP11, "SOAP 1.1"
            elif b.find(q(SOAP12, "binding")) is not None:
                ns, label = SOAP12, "SOAP 1.2"
            elif b.find(q(HTTP, "binding")) is not None:
                ns, label = HTTP, "HTTP " + b.find(q(HTTP, "binding")).get("verb", "")
            else:
                continue
            for op in b.findall(q(WSDL, "operation")):
                if op.get("name") != name:
                    continue
                info = {"binding": key[2]}
                if ns in (SOAP11, SOAP12):
                    sop = op.find(q(ns, "operation"))
                    sb = b.find(q(ns, "binding"))
                    info["SOAPAction"] = sop.get("soapAction", "") if sop is not None else ""
                    info["style"] = (sop.get("style") if sop is not None and sop.get("style") else
                                     sb.get("style", "document"))
                    for tag in ("input", "output"):
                        body = op.find("%s/%s" % (q(WSDL, tag), q(ns, "body")))
                        info[tag + " use"] = body.get("use", "literal") if body is not None else None
                        info[tag + " namespace"] = body.get("namespace", "") if body is not None else ""
                else:
                    hop = op.find(q(HTTP, "operation"))
                    info["location"] = hop.get("location", "") if hop is not None else ""
                out.setdefault(label, info)
        return out


# --- the comparison -------------------------------------------------------------------------------------
class Comparison:
    def __init__(self, old, new):
        self.old = old
        self.new = new
        self.changes = []
        self.visiting = set()

    def add(self, kind, where, text):
        self.changes.append((kind, where, text))

    def operation(self, name, o, n):
        if n is None:
            self.add(BREAKING, name, "the operation is gone")
            return
        for label, ob in sorted(o["bindings"].items()):
            nb = n["bindings"].get(label)
            if nb is None:
                self.add(BREAKING, name, "no %s binding has the operation any more (it was in %s)" % (label, ob["binding"]))
                continue
            for field in sorted(set(ob) | set(nb)):
                if field == "binding":
                    continue
                if ob.get(field) != nb.get(field):
                    self.add(BREAKING, name, "%s binding: %s changed from %r to %r" % (label, field, ob.get(field), nb.get(field)))
        for label in sorted(set(n["bindings"]) - set(o["bindings"])):
            self.add(ADDITIVE, name, "new %s binding of the operation" % label)
        for side, tag in (("request", "input"), ("response", "output")):
            op_parts, np_parts = o[tag], n[tag]
            if op_parts is None and np_parts is None:
                continue
            if op_parts is None or np_parts is None:
                self.add(BREAKING, "%s %s" % (name, side), "the operation %s a %s message" % (
                    "no longer has" if np_parts is None else "now has", side))
                continue
            self.parts(name, side, op_parts, np_parts)

    def parts(self, name, side, op_parts, np_parts):
        where = "%s %s" % (name, side)
        if len(op_parts) != len(np_parts):
            self.add(BREAKING, where, "message parts changed from %s to %s" % (
                [p[0] for p in op_parts], [p[0] for p in np_parts]))
            return
        for (opn, ok), (npn, nk) in zip(op_parts, np_parts):
            if ok[0] != nk[0]:
                self.add(BREAKING, where, "part %s changed from %s to %s" % (opn, ok[0], nk[0]))
                continue
            if ok[0] == "element":
                if ok[1] != nk[1]:
                    self.add(BREAKING, where, "namespace of element %s changed from %s to %s" % (ok[2], ok[1], nk[1]))
                    continue
                if ok[2] != nk[2]:
                    self.add(BREAKING, where, "element %s renamed to %s" % (ok[2], nk[2]))
                    continue
                oe = self.old.global_element(ok)
                ne = self.new.global_element(nk)
                self.types(oe, ne, "%s %s" % (side, ok[2]), side)
            else:
                self.types(ElementInfo(opn, "", 1, 1, False, ("named", ok)),
                           ElementInfo(npn, "", 1, 1, False, ("named", nk)), "%s %s" % (side, opn), side)

    def elements(self, o, n, path, side):
        if o.ns != n.ns:
            self.add(BREAKING, path, "namespace changed from %r to %r" % (o.ns, n.ns))
        if o.min != n.min:
            if side == "request":
                if o.min == 0 and n.min >= 1:
                    self.add(BREAKING, path, "now required (minOccurs %d -> %d)" % (o.min, n.min))
                else:
                    self.add(ADDITIVE, path, "minOccurs %d -> %d" % (o.min, n.min))
            else:
                if o.min >= 1 and n.min == 0:
                    self.add(BREAKING, path, "may now be absent (minOccurs %d -> %d)" % (o.min, n.min))
                else:
                    self.add(ADDITIVE, path, "minOccurs %d -> %d" % (o.min, n.min))
        if o.max != n.max:
            show = lambda m: "unbounded" if m == UNBOUNDED else str(m)  # noqa: E731
            if (o.max > 1) != (n.max > 1):
                self.add(BREAKING, path, "%s (maxOccurs %s -> %s)" % (
                    "now a list" if n.max > 1 else "no longer a list", show(o.max), show(n.max)))
            else:
                self.add(ADDITIVE, path, "maxOccurs %s -> %s" % (show(o.max), show(n.max)))
        if o.nillable != n.nillable:
            if side == "response" and n.nillable:
                self.add(BREAKING, path, "now nillable (xsi:nil may arrive)")
            else:
                self.add(ADDITIVE, path, "nillable %s -> %s" % (o.nillable, n.nillable))
        self.types(o, n, path, side)

    def types(self, o, n, path, side):
        ok, oel, okey = self.old.type_element(o.type_ref)
        nk, nel, nkey = self.new.type_element(n.type_ref)
        if okey is not None and nkey is not None and ok in ("simple", "complex") and nk == ok:
            pair = (okey, nkey)
            if pair in self.visiting:
                return  # recursive type: compared further up
        else:
            pair = None
        o_simple = self.old.simple(o.type_ref) if ok in ("simple", "builtin") else None
        n_simple = self.new.simple(n.type_ref) if nk in ("simple", "builtin") else None
        if (ok == "anyType") != (nk == "anyType") or (o_simple is None) != (n_simple is None):
            self.add(BREAKING, path, "type changed from %s to %s" % (self.describe(ok, okey, o_simple),
                                                                     self.describe(nk, nkey, n_simple)))
            return
        renamed = okey is not None and nkey is not None and okey[2] != nkey[2] and ok == nk and ok != "builtin"
        if renamed:
            self.add(ADDITIVE, path, "type %s renamed to %s (a type name never crosses the wire; not breaking)"
                     % (okey[2], nkey[2]))
        if ok == "anyType":
            return
        if o_simple is not None:
            self.simples(o_simple, n_simple, path, side, o.name)
            return
        if pair:
            self.visiting.add(pair)
        try:
            op_, oa, os_ = self.old.complex(oel)
            np_, na, ns_ = self.new.complex(nel)
            if (os_ is None) != (ns_ is None):
                self.add(BREAKING, path, "content changed between simple content and elements")
            elif os_ is not None:
                self.simples(os_, ns_, path, side, o.name)
            self.particles(op_, np_, path, side)
            self.attributes(oa, na, path, side)
        finally:
            if pair:
                self.visiting.discard(pair)

    @staticmethod
    def describe(kind, key, simple):
        if kind == "anyType":
            return "anyType"
        if simple is not None:
            return "simple %s" % (":".join(simple["base"]) if simple["kind"] == "atomic" else simple["kind"])
        return "complex type %s" % (key[2] if key else "(anonymous)")

    def simples(self, o, n, path, side, element_name):
        if o["kind"] != n["kind"] or o["base"] != n["base"]:
            self.add(BREAKING, path, "simple type changed from %s to %s" % (
                "{%s}%s" % o["base"], "{%s}%s" % n["base"]))
            return
        oe, ne = o["enums"], n["enums"]
        text_in_bindings = element_name == "SuccessCode"
        if oe is None and ne is not None:
            if side == "request":
                self.add(BREAKING, path, "now restricted to the values %s" % ", ".join(ne))
            else:
                self.add(ADDITIVE, path, "now an enumeration (%s)" % ", ".join(ne))
        elif oe is not None and ne is None:
            if side == "response" and not text_in_bindings:
                self.add(BREAKING, path, "no longer an enumeration: any text may arrive, an unknown value fails "
                                         "the whole response in gSOAP")
            else:
                self.add(ADDITIVE, path, "no longer an enumeration")
        elif oe is not None:
            added = [v for v in ne if v not in oe]
            removed = [v for v in oe if v not in ne]
            if added:
                if side == "response" and not text_in_bindings:
                    self.add(BREAKING, path, "new enumeration value%s %s (an unknown value fails the whole response "
                                             "in gSOAP)" % ("s" if len(added) > 1 else "", ", ".join(added)))
                elif side == "response":
                    self.add(ADDITIVE, path, "new SuccessCode value%s %s (SuccessCode is text in the bindings: "
                                             "it arrives as an unknown code)" % ("s" if len(added) > 1 else "",
                                                                                 ", ".join(added)))
                else:
                    self.add(ADDITIVE, path, "new enumeration value%s %s" % ("s" if len(added) > 1 else "", ", ".join(added)))
            if removed:
                if side == "request":
                    self.add(BREAKING, path, "enumeration value%s %s removed (this client may send %s)" % (
                        "s" if len(removed) > 1 else "", ", ".join(removed), "them" if len(removed) > 1 else "it"))
                else:
                    self.add(ADDITIVE, path, "enumeration value%s %s removed" % ("s" if len(removed) > 1 else "",
                                                                                 ", ".join(removed)))
            common_o = [v for v in oe if v in ne]
            common_n = [v for v in ne if v in oe]
            if common_o != common_n:
                self.add(ADDITIVE, path, "enumeration values reordered (not breaking: they cross as text)")
        if o["facets"] != n["facets"]:
            keys = sorted(set(o["facets"]) | set(n["facets"]))
            what = ", ".join("%s %r -> %r" % (k, o["facets"].get(k), n["facets"].get(k))
                             for k in keys if o["facets"].get(k) != n["facets"].get(k))
            self.add(BREAKING, path, "restriction changed: %s" % what)

    def particles(self, olist, nlist, path, side):
        def elements(lst):
            return [(p[1].name, p[1]) for p in lst if p[0] == "element"]
        oel, nel = elements(olist), elements(nlist)
        onames, nnames = [x[0] for x in oel], [x[0] for x in nel]
        odict, ndict = dict(oel), dict(nel)
        removed = [x for x in onames if x not in ndict]
        added = [x for x in nnames if x not in odict]
        if len(removed) == 1 and len(added) == 1 and onames.index(removed[0]) == nnames.index(added[0]):
            self.add(BREAKING, "%s/%s" % (path, removed[0]), "renamed to %s" % added[0])
        else:
            for name in removed:
                self.add(BREAKING, "%s/%s" % (path, name), "removed")
            for name in added:
                e = ndict[name]
                if side == "request":
                    if e.min >= 1:
                        self.add(BREAKING, "%s/%s" % (path, name), "new required element (minOccurs %d)" % e.min)
                    else:
                        self.add(ADDITIVE, "%s/%s" % (path, name), "new optional element")
                else:
                    self.add(ADDITIVE, "%s/%s" % (path, name), "new element (unknown elements are ignored)")
        common_o = [x for x in onames if x in ndict]
        common_n = [x for x in nnames if x in odict]
        if common_o != common_n:
            self.add(ADDITIVE, path, "elements reordered: %s -> %s (not breaking: ASMX and gSOAP read elements "
                                     "in any order)" % (" ".join(common_o), " ".join(common_n)))
        for name in common_o:
            self.elements(odict[name], ndict[name], "%s/%s" % (path, name), side)
        # Groups (choice, all, repeated sequences) and wildcards, by position.
        og = [p for p in olist if p[0] != "element"]
        ng = [p for p in nlist if p[0] != "element"]
        for i in range(max(len(og), len(ng))):
            a = og[i] if i < len(og) else None
            b = ng[i] if i < len(ng) else None
            if a is None or b is None or a[0] != b[0] or a[1] != b[1] or a[2:4] != b[2:4]:
                self.add(BREAKING, path, "model group or wildcard changed: %s -> %s" % (self.group_text(a),
                                                                                        self.group_text(b)))
            elif a[0] == "group":
                self.particles(a[4], b[4], "%s/(%s)" % (path, a[1]), side)

    @staticmethod
    def group_text(p):
        if p is None:
            return "none"
        if p[0] == "any":
            return "xs:any namespace=%s" % p[1]
        return "%s (%d..%s)" % (p[1], p[2], "unbounded" if p[3] == UNBOUNDED else p[3])

    def attributes(self, olist, nlist, path, side):
        od = {a[0]: a for a in olist}
        nd = {a[0]: a for a in nlist}
        for name in od:
            if name not in nd:
                self.add(BREAKING, "%s/@%s" % (path, name), "attribute removed")
        for name in nd:
            if name in od:
                oa, na = od[name], nd[name]
                if side == "request" and na[1] and not oa[1]:
                    self.add(BREAKING, "%s/@%s" % (path, name), "attribute now required")
                self.types(ElementInfo(name, "", 1, 1, False, oa[2]), ElementInfo(name, "", 1, 1, False, na[2]),
                           "%s/@%s" % (path, name), side)
            elif side == "request" and nd[name][1]:
                self.add(BREAKING, "%s/@%s" % (path, name), "new required attribute")
            else:
                self.add(ADDITIVE, "%s/@%s" % (path, name), "new attribute")


def load(path, what):
    try:
        return Model(W.DocSet(path))
    except W.WsdlError as e:
        raise CannotCompare("%s: %s" % (what, e))


def compare(pinned_path, new_path, requested):
    old = load(pinned_path, "the pinned WSDL")
    new = load(new_path, "the new WSDL")
    ops, missing = old.ds.requested_operations(requested)
    if missing:
        raise CannotCompare("operation%s %s not in the pinned WSDL %s" % (
            "s" if len(missing) > 1 else "", ", ".join(op for op, _ in missing), pinned_path))
    results = []
    for name in (ops if requested == ["all"] else requested):
        c = Comparison(old, new)
        c.operation(name, old.operation(name), new.operation(name))
        results.append((name, c.changes))
    extra = []
    if requested == ["all"]:
        extra = [op for op in new.ds.operations() if op not in ops]
    return results, extra


def main(argv=None):
    ap = argparse.ArgumentParser(description="What changed between the pinned WSDL and a new one.")
    ap.add_argument("--pinned", required=True)
    ap.add_argument("--operations", required=True)
    F.add_bound_arguments(ap)
    ap.add_argument("wsdl", help="the new WSDL: a file or an http(s) URL")
    args = ap.parse_args(argv)
    scratch = None
    try:
        requested = args.operations.split()
        if not requested:
            raise CannotCompare("OPERATIONS is empty")
        print("diff: %s (pinned) -> %s" % (args.pinned, args.wsdl))
        new_path = args.wsdl
        if W.is_url(args.wsdl):
            scratch = tempfile.mkdtemp(prefix="brightoffice-diff-")
            try:
                F.fetch(args.wsdl, os.path.join(scratch, "new"), **F.bounds(args))
            except (F.FetchError, W.WsdlError) as e:
                raise CannotCompare("fetching the new WSDL failed: %s" % e)
            new_path = os.path.join(scratch, "new", F.MAIN_NAME)
        results, extra = compare(args.pinned, new_path, requested)
    except CannotCompare as e:
        print("diff: could not compare: %s" % e)
        return 2
    finally:
        if scratch:
            shutil.rmtree(scratch, ignore_errors=True)
    breaking = additive = 0
    for name, changes in results:
        if not changes:
            print("%s: unchanged" % name)
            continue
        nb = sum(1 for c in changes if c[0] == BREAKING)
        print("%s: %s" % (name, "BREAKING" if nb else "additive changes only"))
        for kind, where, text in changes:
            print("  %-8s  %s: %s" % (kind, where, text))
        breaking += nb
        additive += len(changes) - nb
    for name in extra:
        print("%s: new operation (not compared)" % name)
    verdict = "breaking" if breaking else ("additive" if additive else "unchanged")
    print("diff: %s (%d breaking, %d additive change%s)" % (verdict, breaking, additive, "" if additive == 1 else "s"))
    return 1 if breaking else 0


if __name__ == "__main__":
    sys.exit(main())
