// rsq merge's use case (rsq/run.h): shard reports (rsq score --state) into
// the report of the whole, exactly; shards scored with other settings are
// refused (compare_settings, the check gate's baseline uses too).
#include <map>
#include <set>

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
  std::map<std::string, std::set<uint64_t>> shards;  // "input\ncount" -> indices seen (--shard)
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
      if (d.shard) {
        auto [it, fresh] = shards.emplace(d.input + "\n" + std::to_string(d.shard->count), std::set<uint64_t>{});
        (void)fresh;
        if (!it->second.insert(d.shard->index).second)
          throw Error(ErrorKind::data, path + ": shard " + std::to_string(d.shard->index) + "/" +
                                           std::to_string(d.shard->count) + " of '" + d.input +
                                           "' was given before; merging it twice would count it twice");
      }
      merge_dataset(all, d);
      first = false;
    }
  }
  // Byte-range shards (--shard I/N) merge into the whole only when every
  // index is there: a missing task would silently shrink the dataset.
  for (const auto& [key, got] : shards) {
    const size_t nl = key.find('\n');
    const uint64_t n = std::stoull(key.substr(nl + 1));
    std::string missing;
    size_t count = 0;
    for (uint64_t i = 0; i < n; ++i)
      if (!got.count(i) && ++count <= 20) missing += (missing.empty() ? "" : ",") + std::to_string(i);
    if (count)
      throw Error(ErrorKind::data, "'" + key.substr(0, nl) + "': " + std::to_string(count) + " of " + std::to_string(n) +
                                       " shards missing (" + missing + (count > 20 ? ",..." : "") +
                                       "); rerun those indices (docs/cluster.md, \"Resuming\")");
  }
  out.datasets.push_back(std::move(all));
  return out;
}

}  // namespace rsq
