// rsq merge's use case (rsq/run.h): shard reports (rsq score --state) into
// the report of the whole, exactly; shards scored with other settings are
// refused (compare_settings, the check gate's baseline uses too).
#include "rsq/error.h"
#include "rsq/run.h"

namespace rsq {

Report run_merge(const MergeRequest& req) {
  Report out;
  DatasetReport all;
  all.input = req.name;
  bool first = true;
  for (const auto& path : req.reports) {
    Report r = report_from_json(read_json_file(path, ErrorKind::data), path);
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
