# SPDX-License-Identifier: GPL-2.0-or-later WITH openvpn-openssl-exception
"""A WSDL and the documents it imports or includes, read with lxml (python3-lxml), indexed.

Shared by trim.py (Makefile.gsoap's OPERATIONS), diff.py (`make -f Makefile.gsoap diff`) and
fetch.py (`make -f Makefile.gsoap fetch`). Nothing here touches the network: a reference to an
http(s) URL is looked up beside the WSDL (ASMX's `...asmx?schema=NAME` as NAME.xsd, otherwise
the last segment of the URL's path), as `make -f Makefile.gsoap fetch` stores it, and is
otherwise left unresolved.

Terms: a *component* is a top-level declaration of a schema (element, complexType, simpleType,
group, attributeGroup, attribute) or of a WSDL (message, portType, binding, service), keyed by
(space, namespace, local name), where space is "element", "type" (complex and simple types
share one symbol space), "group", "attributeGroup", "attribute", "message", "portType",
"binding" or "service".
"""

import difflib
import os
import re
import urllib.parse

from lxml import etree

XS = "http://www.w3.org/2001/XMLSchema"
WSDL = "http://schemas.xmlsoap.org/wsdl/"
SOAP11 = "http://schemas.xmlsoap.org/wsdl/soap/"
SOAP12 = "http://schemas.xmlsoap.org/wsdl/soap12/"
HTTP = "http://schemas.xmlsoap.org/wsdl/http/"
XML_NS = "http://www.w3.org/XML/1998/namespace"
SOAP_ENC = "http://schemas.xmlsoap.org/soap/encoding/"
# Namespaces whose types every SOAP toolkit knows (wsdl2h has them built in).
BUILTIN_NAMESPACES = {XS, XML_NS, SOAP_ENC, WSDL, "http://www.w3.org/2003/05/soap-encoding"}

SCHEMA_SPACES = {"element": "element", "complexType": "type", "simpleType": "type", "group": "group",
                 "attributeGroup": "attributeGroup", "attribute": "attribute"}
WSDL_SPACES = {"message": "message", "portType": "portType", "binding": "binding", "service": "service"}


class WsdlError(Exception):
    """A WSDL that cannot be read or does not hold what was asked for; the message says why."""


def q(ns, local):
    return "{%s}%s" % (ns, local)


def parser():
    # No DTD, no entity expansion, no network: a hostile WSDL cannot read files or URLs.
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False,
                           huge_tree=False, remove_comments=False)


def parse_bytes(data, what):
    try:
        return etree.fromstring(data, parser()).getroottree()
    except etree.XMLSyntaxError as e:
        raise WsdlError("%s is not well-formed XML: %s" % (what, e))


def resolve_qname(el, value):
    """The (namespace, local) that a QName-valued attribute of el names; namespace '' for none."""
    value = value.strip()
    if ":" in value:
        prefix, local = value.split(":", 1)
        ns = el.nsmap.get(prefix)
        if ns is None:
            raise WsdlError("line %s: the prefix '%s' of '%s' is not declared" % (el.sourceline, prefix, value))
        return ns, local
    return el.nsmap.get(None, ""), value


def children(el, ns):
    """(local name, child) of each child element of el in namespace ns, in document order
    (comments and processing instructions skipped)."""
    for child in el:
        if isinstance(child.tag, str):
            qn = etree.QName(child)
            if qn.namespace == ns:
                yield qn.localname, child


def xs_children(el):
    """(local name, child) of each child of el in the XML Schema namespace."""
    return children(el, XS)


def require_wsdl_root(root, what):
    """WsdlError unless root is a WSDL 1.1 document's root (wsdl:definitions); what names it."""
    if root.tag != q(WSDL, "definitions"):
        raise WsdlError("%s is not a WSDL 1.1 document (its root element is %s)" % (what, root.tag))


def references(root):
    """(element, attribute, kind) of every import or include in a document that names a
    location, in document order: wsdl:import location (kind "wsdl"); xs:import, xs:include,
    xs:redefine schemaLocation (kind "xsd")."""
    out = []
    for el in root.iter(q(WSDL, "import"), q(XS, "import"), q(XS, "include"), q(XS, "redefine")):
        attr, kind = ("location", "wsdl") if el.tag == q(WSDL, "import") else ("schemaLocation", "xsd")
        if el.get(attr):
            out.append((el, attr, kind))
    return out


def unique_name(name, used):
    """name, or else the first of name-2, name-3 ... (before the extension) not in used."""
    stem, ext = os.path.splitext(name)
    n = 2
    while name in used:
        name = "%s-%d%s" % (stem, n, ext)
        n += 1
    return name


def is_url(location):
    return re.match(r"^[A-Za-z][A-Za-z0-9+.-]*://", location or "") is not None


def local_name_for_url(url, kind):
    """The file name `fetch` stores a document under: ASMX's ?schema=NAME as NAME.xsd, WCF's
    ?xsd=NAME / ?wsdl=NAME as NAME.xsd / NAME.wsdl, otherwise the last path segment; always
    ending in .xsd or .wsdl, only [A-Za-z0-9._-]."""
    parts = urllib.parse.urlsplit(url)
    query = urllib.parse.parse_qs(parts.query, keep_blank_values=True)
    ext = ".wsdl" if kind == "wsdl" else ".xsd"
    base = None
    for key in ("schema", "xsd", "wsdl"):
        for k, values in query.items():
            if k.lower() == key and values and values[0]:
                base = values[0]
                ext = ".wsdl" if key == "wsdl" else ".xsd"
                break
        if base:
            break
    if base is None:
        base = urllib.parse.unquote(parts.path.rstrip("/").rsplit("/", 1)[-1]) or "document"
        for e in (".wsdl", ".xsd", ".xml"):
            if base.lower().endswith(e):
                base = base[: -len(e)]
                break
    base = re.sub(r"[^A-Za-z0-9._-]", "_", base).strip("._") or "document"
    return base + ext


class Doc:
    """One document of the set."""

    def __init__(self, path, tree, kind, name):
        self.path = path          # absolute local path
        self.tree = tree
        self.root = tree.getroot()
        self.kind = kind          # "wsdl" or "xsd"
        self.name = name          # flat file name when written out
        self.refs = []            # Reference objects, in document order


class Reference:
    """An import or include: the element, its location attribute, and what it points at."""

    def __init__(self, el, attr, location, doc, target, reason, kind):
        self.el = el
        self.attr = attr          # "location" or "schemaLocation"
        self.location = location  # as written
        self.doc = doc            # the Doc it appears in
        self.target = target      # the Doc it names, or None when unresolved
        self.reason = reason      # why unresolved
        self.kind = kind          # "wsdl" or "xsd"


class Schema:
    def __init__(self, el, doc, tns):
        self.el = el
        self.doc = doc
        self.tns = tns


class DocSet:
    """The WSDL at path and, transitively, the documents it imports and includes."""

    def __init__(self, path, main_name="BrightOfficeAPI.wsdl"):
        self.given = path
        self.main_path = os.path.abspath(path)
        self.base_dir = os.path.dirname(self.main_path)
        self.docs = []
        self.by_path = {}
        self.schemas = []
        self.components = {}     # key -> (element, Schema or Doc)
        self.component_order = []
        self.unresolved = []     # References whose document is not available locally
        self.main = self._load(self.main_path, "wsdl", main_name)
        require_wsdl_root(self.main.root, path)
        self._follow()
        self._index()

    # --- loading ---------------------------------------------------------------------------------
    def _load(self, path, kind, name):
        try:
            with open(path, "rb") as f:
                data = f.read()
        except OSError as e:
            raise WsdlError("cannot read %s: %s" % (path, e.strerror))
        tree = parse_bytes(data, path)
        doc = Doc(path, tree, kind, unique_name(name, {d.name for d in self.docs}))
        self.docs.append(doc)
        self.by_path[path] = doc
        return doc

    def _local_path(self, doc, location, kind):
        """(path, reason): where a reference's document is on this machine, or why not."""
        if is_url(location):
            if location.lower().startswith("file://"):
                return urllib.parse.unquote(urllib.parse.urlsplit(location).path), None
            # As `fetch` stores it, beside the WSDL.
            candidate = os.path.join(self.base_dir, local_name_for_url(location, kind))
            if os.path.isfile(candidate):
                return candidate, None
            return None, "%s is not available locally (no %s beside the WSDL; `make -f Makefile.gsoap fetch` " \
                         "stores it)" % (location, os.path.basename(candidate))
        path = os.path.normpath(os.path.join(os.path.dirname(doc.path), urllib.parse.unquote(location)))
        if os.path.isfile(path):
            return path, None
        return None, "%s (named by %s) does not exist" % (path, os.path.basename(doc.path))

    def _follow(self):
        queue = [self.main]
        while queue:
            doc = queue.pop(0)
            for el, attr, kind in references(doc.root):
                location = el.get(attr)
                path, reason = self._local_path(doc, location, kind)
                target = None
                if path is not None:
                    path = os.path.abspath(path)
                    target = self.by_path.get(path)
                    if target is None:
                        target = self._load(path, kind, local_name_for_url("file:///" + os.path.basename(path), kind))
                        queue.append(target)
                ref = Reference(el, attr, location, doc, target, reason, kind)
                doc.refs.append(ref)
                if target is None:
                    self.unresolved.append(ref)

    # --- indexing -------------------------------------------------------------------------------------
    def _schema_elements(self, doc):
        if doc.root.tag == q(XS, "schema"):
            return [doc.root]
        return [s for t in doc.root.findall(q(WSDL, "types")) for s in t.findall(q(XS, "schema"))]

    def _index(self):
        # Schemas: an included document without a targetNamespace takes the including one's.
        chameleon = {}
        for doc in self.docs:
            for ref in doc.refs:
                if ref.el.tag == q(XS, "include") and ref.target is not None:
                    parent = ref.el.getparent()
                    chameleon.setdefault(ref.target.path, parent.get("targetNamespace", ""))
        for doc in self.docs:
            for s in self._schema_elements(doc):
                tns = s.get("targetNamespace")
                if tns is None:
                    tns = chameleon.get(doc.path, "")
                schema = Schema(s, doc, tns)
                self.schemas.append(schema)
                for local, child in xs_children(s):
                    space = SCHEMA_SPACES.get(local)
                    if space and child.get("name"):
                        self._add((space, tns, child.get("name")), child, schema)
            if doc.root.tag == q(WSDL, "definitions"):
                tns = doc.root.get("targetNamespace", "")
                for local, child in children(doc.root, WSDL):
                    space = WSDL_SPACES.get(local)
                    if space and child.get("name"):
                        self._add((space, tns, child.get("name")), child, doc)

    def _add(self, key, el, owner):
        if key not in self.components:  # the first definition wins, as in most toolkits
            self.components[key] = (el, owner)
            self.component_order.append(key)

    # --- queries ---------------------------------------------------------------------------------------
    def get(self, key):
        hit = self.components.get(key)
        return hit[0] if hit else None

    def owner(self, key):
        hit = self.components.get(key)
        return hit[1] if hit else None

    def schema_of(self, el):
        """The Schema an element of a schema belongs to."""
        node = el
        while node is not None and node.tag != q(XS, "schema"):
            node = node.getparent()
        for s in self.schemas:
            if s.el is node:
                return s
        return None

    def port_types(self):
        return [(k, self.get(k)) for k in self.component_order if k[0] == "portType"]

    def bindings(self):
        return [(k, self.get(k)) for k in self.component_order if k[0] == "binding"]

    @staticmethod
    def port_type_of(binding):
        """The key of the portType that a binding (its element) binds."""
        return ("portType",) + resolve_qname(binding, binding.get("type", ""))

    def bindings_of(self, pt_key):
        """(key, element) of each binding of the portType pt_key, in document order."""
        return [(k, b) for k, b in self.bindings() if self.port_type_of(b) == pt_key]

    def message_parts(self, msg_key):
        """(part name, element key or None, type key or None) of each part of the message
        msg_key, in document order; None when the message is defined nowhere."""
        msg = self.get(msg_key)
        if msg is None:
            return None
        out = []
        for part in msg.findall(q(WSDL, "part")):
            element = ("element",) + resolve_qname(part, part.get("element")) if part.get("element") else None
            type_ = ("type",) + resolve_qname(part, part.get("type")) if part.get("type") else None
            out.append((part.get("name"), element, type_))
        return out

    def operations(self):
        """Operation names of every portType, in document order, without repeats."""
        seen = []
        for _, pt in self.port_types():
            for op in pt.findall(q(WSDL, "operation")):
                name = op.get("name")
                if name and name not in seen:
                    seen.append(name)
        return seen

    def requested_operations(self, requested):
        """(operations, missing) for a list of operation names, or ["all"]: operations are the
        WSDL's operations that requested names (every one for ["all"]), in the WSDL's order;
        missing is (name, up to three operation names like it) for each name the WSDL lacks."""
        available = self.operations()
        if requested == ["all"]:
            return available, []
        missing = [(op, difflib.get_close_matches(op, available, n=3)) for op in requested if op not in available]
        return [op for op in available if op in requested], missing

    def namespaces_with_unresolved_documents(self):
        """namespace -> the reason its document is not here, for unresolved xs:imports."""
        out = {}
        for ref in self.unresolved:
            if ref.el.tag == q(XS, "import"):
                out.setdefault(ref.el.get("namespace", ""), ref.reason)
        return out

    def missing_component(self, key, used_by=None):
        """(not_here, text) about a component key that the set lacks: not_here when the document
        of its namespace is not here (text says which and why), otherwise text says it is
        defined nowhere; used_by, when given, is named after the component."""
        what = "%s {%s}%s%s" % (key[0], key[1], key[2], " (used by %s)" % used_by if used_by else "")
        reason = self.namespaces_with_unresolved_documents().get(key[1])
        if reason:
            return True, "%s is in a document that is not here: %s" % (what, reason)
        return False, "%s is defined nowhere in %s or its imports" % (what, self.given)


def schema_refs(el, docset):
    """The component keys that a schema component refers to, in document order (a component's
    own subtree, including anonymous types), and the namespaces its xs:any wildcards name."""
    refs = []
    wildcard_namespaces = []
    schema = None
    for e in el.iter():
        if not isinstance(e.tag, str):
            continue
        qn = etree.QName(e)
        if qn.namespace != XS:
            continue
        local = qn.localname
        if local in ("element", "attribute"):
            if e.get("type"):
                refs.append(("type",) + resolve_qname(e, e.get("type")))
            if e.get("ref") and e is not el:
                refs.append((local,) + resolve_qname(e, e.get("ref")))
        elif local in ("group", "attributeGroup"):
            if e.get("ref"):
                refs.append((local,) + resolve_qname(e, e.get("ref")))
        elif local in ("restriction", "extension"):
            if e.get("base"):
                refs.append(("type",) + resolve_qname(e, e.get("base")))
        elif local == "list":
            if e.get("itemType"):
                refs.append(("type",) + resolve_qname(e, e.get("itemType")))
        elif local == "union":
            for member in (e.get("memberTypes") or "").split():
                refs.append(("type",) + resolve_qname(e, member))
        elif local == "any":
            spec = e.get("namespace", "##any")
            if schema is None:
                schema = docset.schema_of(el)
            for token in spec.split():
                if token == "##targetNamespace":
                    wildcard_namespaces.append(schema.tns if schema else "")
                elif token == "##local":
                    wildcard_namespaces.append("")
                elif not token.startswith("##"):
                    wildcard_namespaces.append(token)
    return [r for r in refs if r[1] not in BUILTIN_NAMESPACES], wildcard_namespaces


def derivation_base(el):
    """The key of the type a complex or simple type derives from, or None."""
    for tag in ("complexContent", "simpleContent"):
        content = el.find(q(XS, tag))
        if content is not None:
            for d in content:
                if isinstance(d.tag, str) and d.get("base"):
                    return ("type",) + resolve_qname(d, d.get("base"))
    return None
