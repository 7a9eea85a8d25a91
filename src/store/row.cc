#include "store/database.h"

namespace rempart {

int64_t Row::Int(size_t i) const {
  const Value& v = values_.at(i);
  if (auto p = std::get_if<int64_t>(&v)) return *p;
  if (auto p = std::get_if<double>(&v)) return static_cast<int64_t>(*p);
  if (auto p = std::get_if<std::string>(&v)) return std::strtoll(p->c_str(), nullptr, 10);
  return 0;
}

double Row::Real(size_t i) const {
  const Value& v = values_.at(i);
  if (auto p = std::get_if<double>(&v)) return *p;
  if (auto p = std::get_if<int64_t>(&v)) return static_cast<double>(*p);
  return 0;
}

std::string Row::Text(size_t i) const {
  const Value& v = values_.at(i);
  if (auto p = std::get_if<std::string>(&v)) return *p;
  if (auto p = std::get_if<Bytes>(&v)) return std::string(p->begin(), p->end());
  if (auto p = std::get_if<int64_t>(&v)) return std::to_string(*p);
  return {};
}

Bytes Row::Blob(size_t i) const {
  auto view = BlobView(i);
  return Bytes(view.begin(), view.end());
}

std::span<const uint8_t> Row::BlobView(size_t i) const {
  const Value& v = values_.at(i);
  if (auto p = std::get_if<Bytes>(&v)) return *p;
  if (auto p = std::get_if<std::string>(&v)) {
    return {reinterpret_cast<const uint8_t*>(p->data()), p->size()};
  }
  return {};
}

}  // namespace rempart
