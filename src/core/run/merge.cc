// rsq merge's use case (rsq/run.h): shard reports (rsq score --state) into
// the report of the whole, exactly; shards scored with other settings are
// refused (compare_settings, the check gate's baseline uses too).
#include <map>

#include "rsq/error.h"
#include "rsq/run.h"

namespace rsq {

Report run_merge(const MergeRequest& req) {
  Report out;
  DatasetReport all;
  all.input = req.name;
  bool first = true;
  // Each shard's datasets as written, to refuse the same shard given twice
  // (it would be counted twice): same input, same bytes, same numbers.
  std::map<std::string, std::string> seen;  // dataset JSON -> the file it came from
  for (const auto& path : req.reports) {
    const nlohmann::json j = read_json_file(path, ErrorKind::data);
    Report r = report_from_json(j, path);
    for (const auto& d : j["datasets"]) {
      auto [it, fresh] = seen.emplace(d.dump(), path);
      if (!fresh)
        throw Error(ErrorKind::data, path + ": dataset '" + d.value("input", "") + "' is the same shard as in " + it->second +
                                         " (identical input and counts); merging it twice would count it twice");
    }
    if (first) {
      out.settings = r.settings;
    } else if (auto diff = compare_settings(out.settings, r.settings, true)) {
      throw Error(ErrorKind::usage, path + ": made with " + diff->phrase(diff->b) + ", " + req.reports[0] + " with " +
                                        diff->a + "; shards must be scored alike");
    }
    for (const auto& d : r.datasets) {
      if (first) {
        all.framing = d.framing;
        all.compression = d.compression;
      }
      merge_dataset(all, d);
      first = false;
    }
  }
  out.datasets.push_back(std::move(all));
  return out;
}

}  // namespace rsq
