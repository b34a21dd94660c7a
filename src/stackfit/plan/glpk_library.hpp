// GLPK, loaded on first use with dlopen, as observe/curl_library does for
// libcurl. Linked directly, libglpk.so.40 and the six libraries it needs
// (gmp, zlib, AMD, COLAMD, ltdl, SuiteSparse config) were mapped into every
// stackfit process: ~0.4 MB of the recorder's resident memory and dynamic-
// loader work at each start, for a solver only `plan` on a cluster uses.
#pragma once

#include <glpk.h>

#include <string>

namespace stackfit {

// The GLPK functions plan/pack_ilp.cpp uses, with GLPK's own types.
struct GlpkApi {
  glp_prob* (*create_prob)();
  void (*delete_prob)(glp_prob*);
  int (*term_out)(int);
  void (*set_obj_dir)(glp_prob*, int);
  int (*add_rows)(glp_prob*, int);
  int (*add_cols)(glp_prob*, int);
  void (*set_row_bnds)(glp_prob*, int, int, double, double);
  void (*set_col_bnds)(glp_prob*, int, int, double, double);
  void (*set_col_kind)(glp_prob*, int, int);
  void (*set_obj_coef)(glp_prob*, int, double);
  void (*load_matrix)(glp_prob*, int, const int[], const int[], const double[]);
  void (*init_iocp)(glp_iocp*);
  int (*intopt)(glp_prob*, const glp_iocp*);
  int (*mip_status)(glp_prob*);
  double (*mip_obj_val)(glp_prob*);
  double (*mip_col_val)(glp_prob*, int);
};

// Loads libglpk.so.40 once (thread-safe). Returns nullptr when it cannot be
// loaded; glpk_load_error() then says why ("libglpk.so.40: cannot open
// shared object file: ..." or "libglpk.so.40: missing symbol glp_intopt").
[[nodiscard]] const GlpkApi* glpk_api();
[[nodiscard]] const std::string& glpk_load_error();

}  // namespace stackfit
