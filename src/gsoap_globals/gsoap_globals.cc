// SPDX-License-Identifier: GPL-2.0-or-later WITH openvpn-openssl-exception
// brightoffice::gsoap_globals: the global SOAP Header/Fault serializers and the global
// namespace table that the gSOAP runtime needs once per program. The namespaced bindings
// (brightoffice::bindings) leave them out (WITH_NOGLOBAL) so that a program with gSOAP
// bindings of its own can use its own. Both generated files go into ONE object file: linked
// from a static archive, it is pulled in only when nothing else in the program defines these
// symbols, so it never clashes with an application's own gSOAP globals.
#include "env/envC.cpp"
#include "env/soap.nsmap"
