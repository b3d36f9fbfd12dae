// rsq/emit.h — report formatting. Emitters turn a finished Report into text
// and never compute anything a report does not already hold, so the table, the
// CSV and the JSON always agree.
#pragma once
#include <string>

#include "rsq/report.h"
#include "rsq/run.h"

namespace rsq {

enum class Format { table, json, csv, tsv, markdown, html };

struct EmitOptions {
  Format format = Format::table;
  bool color = false;
  bool include_state = false;  // JSON only
};

std::string emit_report(const Report& r, const EmitOptions& opt);
// "table", "json", "csv", "tsv", "markdown", "html"; rsq::Error(usage) otherwise.
Format parse_format(const std::string& name);

// rsq report: the HTML report of saved JSON reports (rsq score --format json,
// with or without --state; rsq merge), their datasets side by side. The
// reports must share rsq's schema, settings and metric definitions
// (rsq::Error(usage) names the first difference); the ranking is recomputed
// over all of them. Same datasets → same bytes as rsq score --format html.
std::string html_report_from_files(const std::vector<std::string>& paths);

// rsq filter --reasons lines: a record not scored (reason; copied = its
// bytes went to --rejects), or one that failed the named clauses.
std::string filter_reason_line(uint64_t line, std::string_view reason, bool copied);
std::string filter_failed_line(uint64_t line, const std::vector<std::string>& clauses, const std::vector<char>& failed);

// rsq filter's funnel for stderr: kept of lines, failures per clause, the
// records not scored by reason (lines, no final newline).
std::string emit_filter_summary(const FilterResult& r);

// Shortest decimal that reads back to the same double ("-" for NaN in text formats).
std::string shortest(double x);

}  // namespace rsq
