// input/layouts.h (internal) — the record layouts rsq recognises, as one
// ordered table: per layout its name(s), a signature test and an extractor.
// The first layout whose signature matches a record extracts it (files mix
// layouts, so this runs per record). docs/cli.md "Layouts" documents every
// name; tests/unit/test_record.cc checks that it does.
#pragma once
#include <span>
#include <string_view>

#include "input/fields.h"

namespace rsq::input {

struct Layout {
  std::string_view names;  // the layout names it reports, comma-separated (the first is its own)
  bool (*detect)(Fields& f, simdjson::dom::object o);
  ExtractResult (*extract)(Fields& f, simdjson::dom::object o, RecordText& t);
};

std::span<const Layout> layouts();

// The first matching layout's extraction ("no-trace" skip when none matches).
ExtractResult extract_by_layout(Fields& f, simdjson::dom::object o, RecordText& t);

}  // namespace rsq::input
