// The normalizers of a tokenizer.json (tokenizer/tokenizer.h), applied in
// the file's order to each stretch of text between added tokens, as Hugging
// Face does: Unicode forms through ICU, Prepend (only to a non-empty
// stretch), Replace of a literal or of a pattern's matches.
#include "tokenizer/tokenizer.h"
#include "unicode.h"

namespace rsq::tok {
namespace {

void replace_literal(std::string& s, const std::string& from, const std::string& to, std::string& tmp) {
  if (s.find(from) == std::string::npos) return;
  tmp.clear();
  size_t pos = 0;
  for (size_t at; (at = s.find(from, pos)) != std::string::npos; pos = at + from.size()) {
    tmp.append(s, pos, at - pos);
    tmp += to;
  }
  tmp.append(s, pos, std::string::npos);
  s.swap(tmp);
}

}  // namespace

void normalize(const Tokenizer& t, std::string_view in, std::string& s, Matcher& m) {
  s.assign(in);
  std::string tmp;
  std::vector<std::pair<uint32_t, uint32_t>> hits;
  for (const NormStep& st : t.normalizer) {
    switch (st.kind) {
      case NormKind::nfc:
      case NormKind::nfd:
      case NormKind::nfkc:
      case NormKind::nfkd: {
        const uni::NormForm f = st.kind == NormKind::nfc   ? uni::NormForm::nfc
                                : st.kind == NormKind::nfd ? uni::NormForm::nfd
                                : st.kind == NormKind::nfkc ? uni::NormForm::nfkc
                                                            : uni::NormForm::nfkd;
        if (uni::normalize(f, s, tmp)) s.swap(tmp);
        break;
      }
      case NormKind::prepend:
        if (!s.empty()) s.insert(0, st.text);
        break;
      case NormKind::replace:
        if (!st.re) {
          replace_literal(s, st.text, st.content, tmp);
          break;
        }
        hits.clear();
        m.find_all(*st.re, s, hits);
        if (hits.empty()) break;
        tmp.clear();
        {
          size_t pos = 0;
          for (auto [b, e] : hits) {
            tmp.append(s, pos, b - pos);
            tmp += st.content;
            pos = e;
          }
          tmp.append(s, pos, std::string::npos);
        }
        s.swap(tmp);
        break;
    }
  }
}

}  // namespace rsq::tok
