#pragma once
// Reading and writing *.netloom files: JSON with a format tag and version, trained weights as
// base64 float32 with shape and CRC-32. Readers validate before they allocate and report file,
// JSON path and reason; saving is atomic (temp file + rename).
#include <string>

#include "engine/project/project.h"

namespace netloom::engine {

inline constexpr const char* kProjectFormat = "netloom-project";
inline constexpr int kProjectVersion = 3;  // 2: frozen/lr_multiplier, "groups"; 3: "search"

// The format is documented in project_json.cpp and docs/project-format.md.
// Throws netloom::Error: "<source>: at /networks/0/nodes/3/params/units: <reason>"; syntax
// errors give "<source>: at line L, column C: not valid JSON: <reason>".
Project parseProject(const std::string& jsonText, const std::string& sourceName);
// Deterministic (same project, same bytes). Throws netloom::Error instead of writing what
// parseProject would refuse (unknown layer type, invalid params, weights of missing nodes).
std::string serializeProject(const Project& project);
// "<path>: cannot open: No such file or directory"; refuses files over 1 GiB.
Project loadProject(const std::string& path);
void saveProject(const Project& project, const std::string& path);  // atomic

// Writes text to path atomically (temp file in the same folder, fsync, rename). On failure the
// temp file is removed, the old file is intact, and the Error names the path and errno text.
void writeFileAtomically(const std::string& path, const std::string& contents);

}  // namespace netloom::engine
