#include "stackfit/plan/glpk_library.hpp"

#include "stackfit/util/dynamic_library.hpp"

namespace stackfit {
namespace {

constexpr const char* k_glpk_soname = "libglpk.so.40";

using Loaded = LoadedLibrary<GlpkApi>;

Loaded load() {
  return load_library<GlpkApi>(k_glpk_soname, [](const SymbolResolver& sym, GlpkApi& a) {
    return sym("glp_create_prob", a.create_prob) && sym("glp_delete_prob", a.delete_prob) &&
           sym("glp_term_out", a.term_out) && sym("glp_set_obj_dir", a.set_obj_dir) &&
           sym("glp_add_rows", a.add_rows) && sym("glp_add_cols", a.add_cols) &&
           sym("glp_set_row_bnds", a.set_row_bnds) && sym("glp_set_col_bnds", a.set_col_bnds) &&
           sym("glp_set_col_kind", a.set_col_kind) && sym("glp_set_obj_coef", a.set_obj_coef) &&
           sym("glp_load_matrix", a.load_matrix) && sym("glp_init_iocp", a.init_iocp) &&
           sym("glp_intopt", a.intopt) && sym("glp_mip_status", a.mip_status) &&
           sym("glp_mip_obj_val", a.mip_obj_val) && sym("glp_mip_col_val", a.mip_col_val);
  });
}

const Loaded& loaded() {
  static const Loaded k_loaded = load();  // C++11 guarantees one thread-safe initialisation
  return k_loaded;
}

}  // namespace

const GlpkApi* glpk_api() { return loaded().ok ? &loaded().api : nullptr; }

const std::string& glpk_load_error() { return loaded().error; }

}  // namespace stackfit
