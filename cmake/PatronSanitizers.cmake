# -DPATRON_SANITIZE="address;undefined" builds everything with ASan/UBSan.
if(PATRON_SANITIZE)
  list(JOIN PATRON_SANITIZE "," _patron_san)
  add_compile_options(-fsanitize=${_patron_san} -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=${_patron_san})
endif()
