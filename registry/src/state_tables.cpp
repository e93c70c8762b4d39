#include "state_tables.hpp"

namespace rootsim::registry::state_tables {
namespace {

Result<dns::Name> name_column(const sqlite::Statement& stmt, int index, const char* table) {
  auto name = dns::Name::from_text(stmt.column_text(index));
  if (!name) {
    return fail(Errc::kParse, std::string(table) + ": " + name.error().message);
  }
  return name;
}

struct Writer {
  sqlite::Statement tld;
  sqlite::Statement ns;
  sqlite::Statement ds;
  sqlite::Statement host;
  sqlite::Statement address;
  sqlite::Statement apex;

  static Result<Writer> prepare(sqlite::Database& db) {
    auto tld = db.prepare(
        "INSERT INTO tlds VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17)");
    auto ns = db.prepare("INSERT INTO tld_nameservers VALUES(?1,?2,?3)");
    auto ds = db.prepare("INSERT INTO tld_ds VALUES(?1,?2,?3,?4,?5,?6)");
    auto host = db.prepare("INSERT INTO hosts VALUES(?1)");
    auto address = db.prepare("INSERT INTO host_addresses VALUES(?1,?2,?3,?4,?5)");
    auto apex = db.prepare("INSERT INTO apex_records VALUES(?1,?2,?3,?4,?5)");
    for (const auto* r : {&tld, &ns, &ds, &host, &address, &apex}) {
      if (!*r) {
        return fail(r->error());
      }
    }
    return Writer{std::move(*tld), std::move(*ns),      std::move(*ds),
                  std::move(*host), std::move(*address), std::move(*apex)};
  }

  Status write(const Tld& t) {
    const std::string label = t.label.to_text();
    tld.bind(1, label)
        .bind(2, t.u_label)
        .bind(3, to_string(t.kind))
        .bind_optional(4, t.iso_code)
        .bind(5, t.manager)
        .bind(6, t.admin.name)
        .bind(7, t.admin.organisation)
        .bind(8, t.admin.email)
        .bind(9, t.tech.name)
        .bind(10, t.tech.organisation)
        .bind(11, t.tech.email)
        .bind(12, std::int64_t{t.delegation.ns_ttl})
        .bind(13, std::int64_t{t.delegation.ds_ttl})
        .bind(14, to_string(t.status))
        .bind_optional(15, t.removal_date)
        .bind(16, t.created_at)
        .bind(17, t.updated_at);
    if (auto s = tld.run(); !s) {
      return fail(std::move(s).error(), "tld " + label + ": ");
    }
    for (std::size_t i = 0; i < t.delegation.name_servers.size(); ++i) {
      ns.bind(1, label).bind(2, static_cast<std::int64_t>(i)).bind(3, t.delegation.name_servers[i].to_text());
      if (auto s = ns.run(); !s) {
        return fail(std::move(s).error(), "tld " + label + " ns: ");
      }
    }
    for (std::size_t i = 0; i < t.delegation.ds.size(); ++i) {
      const dns::DsRdata& d = t.delegation.ds[i];
      ds.bind(1, label)
          .bind(2, static_cast<std::int64_t>(i))
          .bind(3, std::int64_t{d.key_tag})
          .bind(4, std::int64_t{d.algorithm})
          .bind(5, std::int64_t{d.digest_type})
          .bind_blob(6, std::span<const std::uint8_t>(d.digest));
      if (auto s = ds.run(); !s) {
        return fail(std::move(s).error(), "tld " + label + " ds: ");
      }
    }
    return {};
  }

  Status write(const Host& h) {
    const std::string name = h.name.to_text();
    host.bind(1, name);
    if (auto s = host.run(); !s) {
      return fail(std::move(s).error(), "host " + name + ": ");
    }
    for (std::size_t i = 0; i < h.addresses.size(); ++i) {
      const HostAddress& a = h.addresses[i];
      address.bind(1, name)
          .bind(2, static_cast<std::int64_t>(i))
          .bind(3, std::int64_t{dns::to_number(a.address.type)})
          .bind_blob(4, std::span<const std::uint8_t>(a.address.rdata))
          .bind(5, std::int64_t{a.ttl});
      if (auto s = address.run(); !s) {
        return fail(std::move(s).error(), "host " + name + ": ");
      }
    }
    return {};
  }

  Status write_apex(const std::vector<dns::Record>& records) {
    for (std::size_t i = 0; i < records.size(); ++i) {
      const dns::Record& r = records[i];
      apex.bind(1, static_cast<std::int64_t>(i))
          .bind(2, r.owner.to_text())
          .bind(3, std::int64_t{dns::to_number(r.type)})
          .bind(4, std::int64_t{r.ttl})
          .bind_blob(5, std::span<const std::uint8_t>(r.rdata));
      if (auto s = apex.run(); !s) {
        return fail(std::move(s).error(), "apex: ");
      }
    }
    return {};
  }
};

Status delete_row(sqlite::Database& db, const char* sql, const std::string& key) {
  auto stmt = db.prepare(sql);
  if (!stmt) {
    return fail(stmt.error());
  }
  stmt->bind(1, key);
  return stmt->run();
}

Status load_tlds(sqlite::Database& db, RegistryState& state) {
  auto stmt = db.prepare("SELECT * FROM tlds ORDER BY label");
  if (!stmt) {
    return fail(stmt.error());
  }
  std::map<std::string, dns::Name> labels;  // text -> parsed, to attach NS and DS rows below
  for (auto row = stmt->step(); row && *row; row = stmt->step()) {
    auto label = name_column(*stmt, 0, "tlds");
    if (!label) {
      return fail(label.error());
    }
    Tld t;
    t.label = *label;
    t.u_label = stmt->column_text(1);
    const auto kind = tld_kind_from_string(stmt->column_text(2));
    const auto status = tld_status_from_string(stmt->column_text(13));
    if (!kind || !status) {
      return fail(Errc::kParse, "tlds: bad kind or status for " + label->to_text());
    }
    t.kind = *kind;
    t.iso_code = stmt->column_optional_text(3);
    t.manager = stmt->column_text(4);
    t.admin = {stmt->column_text(5), stmt->column_text(6), stmt->column_text(7)};
    t.tech = {stmt->column_text(8), stmt->column_text(9), stmt->column_text(10)};
    t.delegation.ns_ttl = static_cast<std::uint32_t>(stmt->column_int(11));
    t.delegation.ds_ttl = static_cast<std::uint32_t>(stmt->column_int(12));
    t.status = *status;
    t.removal_date = stmt->column_optional_text(14);
    t.created_at = stmt->column_int(15);
    t.updated_at = stmt->column_int(16);
    labels.emplace(stmt->column_text(0), *label);
    state.tlds.emplace(t.label, std::move(t));
  }
  auto ns = db.prepare("SELECT label, host FROM tld_nameservers ORDER BY label, position");
  if (!ns) {
    return fail(ns.error());
  }
  for (auto row = ns->step(); row && *row; row = ns->step()) {
    auto host = name_column(*ns, 1, "tld_nameservers");
    if (!host) {
      return fail(host.error());
    }
    state.tlds.at(labels.at(ns->column_text(0))).delegation.name_servers.push_back(*host);
  }
  auto ds = db.prepare(
      "SELECT label, key_tag, algorithm, digest_type, digest FROM tld_ds ORDER BY label, position");
  if (!ds) {
    return fail(ds.error());
  }
  for (auto row = ds->step(); row && *row; row = ds->step()) {
    state.tlds.at(labels.at(ds->column_text(0)))
        .delegation.ds.push_back(dns::DsRdata{static_cast<std::uint16_t>(ds->column_int(1)),
                                              static_cast<std::uint8_t>(ds->column_int(2)),
                                              static_cast<std::uint8_t>(ds->column_int(3)),
                                              ds->column_blob(4)});
  }
  return {};
}

Status load_hosts(sqlite::Database& db, RegistryState& state) {
  auto hosts = db.prepare("SELECT name FROM hosts");
  if (!hosts) {
    return fail(hosts.error());
  }
  std::map<std::string, dns::Name> names;
  for (auto row = hosts->step(); row && *row; row = hosts->step()) {
    auto name = name_column(*hosts, 0, "hosts");
    if (!name) {
      return fail(name.error());
    }
    names.emplace(hosts->column_text(0), *name);
    state.hosts.emplace(*name, Host{*name, {}});
  }
  auto addresses =
      db.prepare("SELECT host, type, rdata, ttl FROM host_addresses ORDER BY host, position");
  if (!addresses) {
    return fail(addresses.error());
  }
  for (auto row = addresses->step(); row && *row; row = addresses->step()) {
    state.hosts.at(names.at(addresses->column_text(0)))
        .addresses.push_back(HostAddress{
            dns::Address{static_cast<dns::RRType>(addresses->column_int(1)),
                         addresses->column_blob(2)},
            static_cast<std::uint32_t>(addresses->column_int(3))});
  }
  return {};
}

Status load_apex(sqlite::Database& db, RegistryState& state) {
  auto stmt = db.prepare("SELECT owner, type, ttl, rdata FROM apex_records ORDER BY position");
  if (!stmt) {
    return fail(stmt.error());
  }
  for (auto row = stmt->step(); row && *row; row = stmt->step()) {
    auto owner = name_column(*stmt, 0, "apex_records");
    if (!owner) {
      return fail(owner.error());
    }
    state.apex.push_back(dns::Record{*owner, static_cast<dns::RRType>(stmt->column_int(1)),
                                     dns::RRClass::kIn,
                                     static_cast<std::uint32_t>(stmt->column_int(2)),
                                     stmt->column_blob(3)});
  }
  return {};
}

}  // namespace

Result<RegistryState> load(sqlite::Database& db) {
  RegistryState state;
  for (auto* loader : {&load_apex, &load_tlds, &load_hosts}) {
    if (auto s = loader(db, state); !s) {
      return fail(std::move(s).error());
    }
  }
  return state;
}

Status insert_all(sqlite::Database& db, const RegistryState& state) {
  auto writer = Writer::prepare(db);
  if (!writer) {
    return fail(writer.error());
  }
  if (auto s = writer->write_apex(state.apex); !s) {
    return s;
  }
  for (const auto& [label, tld] : state.tlds) {
    if (auto s = writer->write(tld); !s) {
      return s;
    }
  }
  for (const auto& [name, host] : state.hosts) {
    if (auto s = writer->write(host); !s) {
      return s;
    }
  }
  return {};
}

Status write_changes(sqlite::Database& db, const RegistryState& before,
                     const RegistryState& after) {
  auto writer = Writer::prepare(db);
  if (!writer) {
    return fail(writer.error());
  }
  if (before.apex != after.apex) {
    if (auto s = db.exec("DELETE FROM apex_records"); !s) {
      return s;
    }
    if (auto s = writer->write_apex(after.apex); !s) {
      return s;
    }
  }
  for (const auto& [label, tld] : before.tlds) {
    const Tld* now = after.find_tld(label);
    if (now == nullptr || !(*now == tld)) {
      if (auto s = delete_row(db, "DELETE FROM tlds WHERE label = ?1", label.to_text()); !s) {
        return s;
      }
    }
  }
  for (const auto& [label, tld] : after.tlds) {
    const Tld* was = before.find_tld(label);
    if (was == nullptr || !(*was == tld)) {
      if (auto s = writer->write(tld); !s) {
        return s;
      }
    }
  }
  for (const auto& [name, host] : before.hosts) {
    const Host* now = after.find_host(name);
    if (now == nullptr || !(*now == host)) {
      if (auto s = delete_row(db, "DELETE FROM hosts WHERE name = ?1", name.to_text()); !s) {
        return s;
      }
    }
  }
  for (const auto& [name, host] : after.hosts) {
    const Host* was = before.find_host(name);
    if (was == nullptr || !(*was == host)) {
      if (auto s = writer->write(host); !s) {
        return s;
      }
    }
  }
  return {};
}

}  // namespace rootsim::registry::state_tables
