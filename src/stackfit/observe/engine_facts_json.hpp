// The Docker Engine API answers `doctor` and `cleanup` read (GET /info, GET
// /system/df, and the answers of the removals in observe/engine_writer), also
// as Podman's compatible API sends them. Pure functions over text.
#pragma once

#include <string_view>

#include "stackfit/model/host_facts.hpp"
#include "stackfit/util/error.hpp"

namespace stackfit {

// GET /info -> EngineFacts (platform left native: analyze/doctor_checks
// classifies it against the host). Absent fields keep their defaults,
// except MemTotal, which must be a positive integer.
[[nodiscard]] Expected<EngineFacts> parse_info_answer(std::string_view body);

// GET /system/df -> EngineDiskUsage. Absent lists are empty (Podman sends no
// BuildCache); an entry without Id/Name is skipped. Negative sizes (-1:
// "not computed") become 0.
[[nodiscard]] Expected<EngineDiskUsage> parse_system_df(std::string_view body);

// POST /build/prune's {"SpaceReclaimed": N}: N, or 0 when absent.
[[nodiscard]] Expected<Bytes> parse_build_prune_answer(std::string_view body);

// True for a volume name of 64 lowercase hex digits: what the engine names an anonymous volume.
[[nodiscard]] bool is_anonymous_volume_name(std::string_view name);

}  // namespace stackfit
