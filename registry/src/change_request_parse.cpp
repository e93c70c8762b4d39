// Strict parsing of change request documents: the common members, then the members of each
// type. Nothing is returned unless the whole document is valid.
#include "rootsim/registry/change_request.hpp"

#include "change_request_fields.hpp"

#include <utility>

namespace rootsim::registry {
namespace {

using namespace request_fields;  // NOLINT(google-build-using-namespace): private helpers

Result<ChangeDetail> parse_ns_update(const Members& m) {
  if (auto ok = m.only({"type", "tld", "requester", "reason", "ns", "glue"}); !ok) {
    return fail(std::move(ok).error());
  }
  NsUpdate change;
  if (auto ok = read(m, "ns", true, change.ns, get_name_servers); !ok) {
    return fail(std::move(ok).error());
  }
  auto glue = [&change](const json& v, const std::string& at) {
    return get_glue(v, at, &change.ns);
  };
  if (auto ok = read(m, "glue", false, change.glue, glue); !ok) {
    return fail(std::move(ok).error());
  }
  return ChangeDetail(std::move(change));
}

Result<ChangeDetail> parse_ds_update(const Members& m) {
  if (auto ok = m.only({"type", "tld", "requester", "reason", "ds"}); !ok) {
    return fail(std::move(ok).error());
  }
  DsUpdate change;
  if (auto ok = read(m, "ds", true, change.ds, get_ds_set); !ok) {
    return fail(std::move(ok).error());
  }
  return ChangeDetail(std::move(change));
}

Result<ChangeDetail> parse_glue_update(const Members& m) {
  if (auto ok = m.only({"type", "tld", "requester", "reason", "host", "addresses"}); !ok) {
    return fail(std::move(ok).error());
  }
  GlueUpdate change;
  if (auto ok = read(m, "host", true, change.glue.host, get_host); !ok) {
    return fail(std::move(ok).error());
  }
  if (auto ok = read(m, "addresses", true, change.glue.addresses, get_addresses); !ok) {
    return fail(std::move(ok).error());
  }
  return ChangeDetail(std::move(change));
}

Result<TldKind> get_kind(const json& value, const std::string& pointer) {
  auto text = get_text(value, pointer, kMaxText);
  if (!text) {
    return fail(std::move(text).error());
  }
  const auto kind = tld_kind_from_string(*text);
  if (!kind) {
    return bad(pointer, "unknown kind '" + *text +
                            "' (country-code, generic, idn-country-code, sponsored, "
                            "infrastructure, test)");
  }
  return *kind;
}

Result<std::optional<std::string>> get_iso_code(const json& value, const std::string& pointer) {
  auto text = get_text(value, pointer, kMaxText);
  if (!text) {
    return fail(std::move(text).error());
  }
  std::string code = *text;
  for (char& c : code) {
    if (c >= 'a' && c <= 'z') {
      c = static_cast<char>(c - 'a' + 'A');
    }
  }
  if (code.size() != 2 || code[0] < 'A' || code[0] > 'Z' || code[1] < 'A' || code[1] > 'Z') {
    return bad(pointer, "'" + *text + "' is not an ISO 3166-1 alpha-2 code");
  }
  return std::optional<std::string>(std::move(code));
}

// manager, admin and tech: shared by delegate and transfer.
Status read_management(const Members& m, std::string& manager, Contact& admin, Contact& tech) {
  if (auto ok = read(m, "manager", true, manager, get_nonempty_text); !ok) {
    return ok;
  }
  if (auto ok = read(m, "admin", true, admin, get_contact); !ok) {
    return ok;
  }
  return read(m, "tech", true, tech, get_contact);
}

Result<ChangeDetail> parse_delegate(const Members& m) {
  if (auto ok = m.only({"type", "tld", "requester", "reason", "kind", "iso_code", "manager", "admin",
                        "tech", "ns", "glue", "ds"});
      !ok) {
    return fail(std::move(ok).error());
  }
  Delegate change;
  Status ok = read(m, "kind", true, change.kind, get_kind);
  if (ok) {
    ok = read(m, "iso_code", false, change.iso_code, get_iso_code);
  }
  if (ok) {
    ok = read_management(m, change.manager, change.admin, change.tech);
  }
  if (ok) {
    ok = read(m, "ns", true, change.ns, get_name_servers);
  }
  auto glue = [&change](const json& v, const std::string& at) {
    return get_glue(v, at, &change.ns);
  };
  if (ok) {
    ok = read(m, "glue", false, change.glue, glue);
  }
  if (ok) {
    ok = read(m, "ds", false, change.ds, get_ds_set);
  }
  if (!ok) {
    return fail(std::move(ok).error());
  }
  return ChangeDetail(std::move(change));
}

Result<ChangeDetail> parse_transfer(const Members& m) {
  if (auto ok = m.only(
          {"type", "tld", "requester", "reason", "manager", "admin", "tech", "ns", "glue", "ds"});
      !ok) {
    return fail(std::move(ok).error());
  }
  Transfer change;
  Status ok = read_management(m, change.manager, change.admin, change.tech);
  auto ns = [](const json& v,
               const std::string& at) -> Result<std::optional<std::vector<dns::Name>>> {
    auto list = get_name_servers(v, at);
    if (!list) {
      return fail(std::move(list).error());
    }
    return std::optional(std::move(list).value());
  };
  if (ok) {
    ok = read(m, "ns", false, change.ns, ns);
  }
  // Without a new NS set, glue must name current name servers: plan_change checks that.
  auto glue = [&change](const json& v, const std::string& at) {
    return get_glue(v, at, change.ns ? &*change.ns : nullptr);
  };
  if (ok) {
    ok = read(m, "glue", false, change.glue, glue);
  }
  auto ds = [](const json& v,
               const std::string& at) -> Result<std::optional<std::vector<dns::DsRdata>>> {
    auto list = get_ds_set(v, at);
    if (!list) {
      return fail(std::move(list).error());
    }
    return std::optional(std::move(list).value());
  };
  if (ok) {
    ok = read(m, "ds", false, change.ds, ds);
  }
  if (!ok) {
    return fail(std::move(ok).error());
  }
  return ChangeDetail(std::move(change));
}

Result<ChangeDetail> parse_revoke(const Members& m) {
  if (auto ok = m.only({"type", "tld", "requester", "reason"}); !ok) {
    return fail(std::move(ok).error());
  }
  return ChangeDetail(Revoke{});
}

Result<ChangeDetail> parse_retire(const Members& m) {
  if (auto ok = m.only({"type", "tld", "requester", "reason", "removal_date"}); !ok) {
    return fail(std::move(ok).error());
  }
  Retire change;
  if (auto ok = read(m, "removal_date", true, change.removal_date, get_date); !ok) {
    return fail(std::move(ok).error());
  }
  return ChangeDetail(std::move(change));
}

Result<RequestType> get_type(const json& value, const std::string& pointer) {
  auto text = get_text(value, pointer, kMaxText);
  if (!text) {
    return fail(std::move(text).error());
  }
  const auto type = request_type_from_string(*text);
  if (!type) {
    return bad(pointer, "unknown request type '" + *text +
                            "' (ns-update, ds-update, glue-update, delegate, transfer, revoke, "
                            "retire)");
  }
  return *type;
}

Result<ChangeDetail> parse_detail(RequestType type, const Members& m) {
  switch (type) {
    case RequestType::kNsUpdate:
      return parse_ns_update(m);
    case RequestType::kDsUpdate:
      return parse_ds_update(m);
    case RequestType::kGlueUpdate:
      return parse_glue_update(m);
    case RequestType::kDelegate:
      return parse_delegate(m);
    case RequestType::kTransfer:
      return parse_transfer(m);
    case RequestType::kRevoke:
      return parse_revoke(m);
    case RequestType::kRetire:
      return parse_retire(m);
  }
  return bad(m.at("type"), "unknown request type");
}

}  // namespace

Result<ChangeRequest> change_request_from_json(const nlohmann::json& document,
                                               const std::string& pointer) {
  if (!document.is_object()) {
    return bad(pointer, "expected a change request object");
  }
  const Members m(document, pointer);
  RequestType type = RequestType::kNsUpdate;
  ChangeRequest request;
  Status ok = read(m, "type", true, type, get_type);
  if (ok) {
    ok = read(m, "tld", true, request.tld, get_tld);
  }
  if (ok) {
    ok = read(m, "requester", true, request.requester, get_actor);
  }
  auto reason = [](const json& v, const std::string& at) -> Result<std::optional<std::string>> {
    auto text = get_text(v, at, kMaxReason);
    if (!text) {
      return fail(std::move(text).error());
    }
    return std::optional(std::move(text).value());
  };
  if (ok) {
    ok = read(m, "reason", false, request.reason, reason);
  }
  if (!ok) {
    return fail(std::move(ok).error());
  }
  auto detail = parse_detail(type, m);
  if (!detail) {
    return fail(std::move(detail).error());
  }
  request.change = std::move(detail).value();
  return request;
}

Result<ChangeRequest> parse_change_request(std::string_view json_text) {
  json document;
  try {
    document = json::parse(json_text);
  } catch (const json::exception& e) {
    // Drop nlohmann's "[json.exception.parse_error.101] " tag: the rest says where and what.
    std::string what = e.what();
    if (const auto end = what.find("] ");
        what.rfind("[json.exception.", 0) == 0 && end != std::string::npos) {
      what.erase(0, end + 2);
    }
    return fail(Errc::kParse, "/: not JSON: " + what);
  }
  return change_request_from_json(document, {});
}

}  // namespace rootsim::registry
