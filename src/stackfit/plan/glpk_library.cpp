#include "stackfit/plan/glpk_library.hpp"

#include <dlfcn.h>

#include "stackfit/util/dynamic_library.hpp"

namespace stackfit {
namespace {

constexpr const char* k_glpk_soname = "libglpk.so.40";

struct Loaded {
  GlpkApi api{};
  bool ok = false;
  std::string error;
};

Loaded load() {
  Loaded l;
  // Never closed: GLPK stays loaded for the life of the process.
  void* handle = ::dlopen(k_glpk_soname, RTLD_NOW | RTLD_LOCAL);
  if (handle == nullptr) {
    const char* why = ::dlerror();
    l.error = why ? why : std::string(k_glpk_soname) + ": cannot load";
    return l;
  }
  GlpkApi& a = l.api;
  l.ok = resolve_symbol(handle, k_glpk_soname, "glp_create_prob", a.create_prob, l.error) &&
         resolve_symbol(handle, k_glpk_soname, "glp_delete_prob", a.delete_prob, l.error) &&
         resolve_symbol(handle, k_glpk_soname, "glp_term_out", a.term_out, l.error) &&
         resolve_symbol(handle, k_glpk_soname, "glp_set_obj_dir", a.set_obj_dir, l.error) &&
         resolve_symbol(handle, k_glpk_soname, "glp_add_rows", a.add_rows, l.error) &&
         resolve_symbol(handle, k_glpk_soname, "glp_add_cols", a.add_cols, l.error) &&
         resolve_symbol(handle, k_glpk_soname, "glp_set_row_bnds", a.set_row_bnds, l.error) &&
         resolve_symbol(handle, k_glpk_soname, "glp_set_col_bnds", a.set_col_bnds, l.error) &&
         resolve_symbol(handle, k_glpk_soname, "glp_set_col_kind", a.set_col_kind, l.error) &&
         resolve_symbol(handle, k_glpk_soname, "glp_set_obj_coef", a.set_obj_coef, l.error) &&
         resolve_symbol(handle, k_glpk_soname, "glp_load_matrix", a.load_matrix, l.error) &&
         resolve_symbol(handle, k_glpk_soname, "glp_init_iocp", a.init_iocp, l.error) &&
         resolve_symbol(handle, k_glpk_soname, "glp_intopt", a.intopt, l.error) &&
         resolve_symbol(handle, k_glpk_soname, "glp_mip_status", a.mip_status, l.error) &&
         resolve_symbol(handle, k_glpk_soname, "glp_mip_obj_val", a.mip_obj_val, l.error) &&
         resolve_symbol(handle, k_glpk_soname, "glp_mip_col_val", a.mip_col_val, l.error);
  return l;
}

const Loaded& loaded() {
  static const Loaded k_loaded = load();  // C++11 guarantees one thread-safe initialisation
  return k_loaded;
}

}  // namespace

const GlpkApi* glpk_api() { return loaded().ok ? &loaded().api : nullptr; }

const std::string& glpk_load_error() { return loaded().error; }

}  // namespace stackfit
