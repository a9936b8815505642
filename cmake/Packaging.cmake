# Installation layout, the generated man page and the CPack .deb.
# Included last from the root CMakeLists.txt so every target exists.
include(GNUInstallDirs)

# imglint.1 comes from the CLI definition itself (`imglint --help-man`), so it
# can never list an option the binary does not have.
set(IMGLINT_MAN_PAGE ${PROJECT_BINARY_DIR}/imglint.1)
add_custom_command(
  OUTPUT ${IMGLINT_MAN_PAGE}
  COMMAND ${CMAKE_COMMAND} -DIMGLINT=$<TARGET_FILE:imglint> -DOUTPUT=${IMGLINT_MAN_PAGE}
          -P ${CMAKE_CURRENT_LIST_DIR}/WriteManPage.cmake
  DEPENDS imglint ${CMAKE_CURRENT_LIST_DIR}/WriteManPage.cmake
  COMMENT "Generating imglint.1 from imglint --help-man"
  VERBATIM)
add_custom_target(imglint_man ALL DEPENDS ${IMGLINT_MAN_PAGE})

install(FILES ${IMGLINT_MAN_PAGE} DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
install(FILES ${PROJECT_SOURCE_DIR}/README.md DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/docs/ DESTINATION ${CMAKE_INSTALL_DOCDIR}
        FILES_MATCHING PATTERN "*.md")

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME imglint)
set(CPACK_PACKAGE_VENDOR "imglint")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "imglint maintainers <maintainers@imglint.invalid>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "lint container images, Dockerfiles and manifests for privilege and low ports")
string(CONCAT CPACK_PACKAGE_DESCRIPTION
    "imglint finds root users, setuid/setgid files, file capabilities and privileged ports in "
    "container images, Dockerfiles, Kubernetes manifests and Compose files, and recommends "
    "net.ipv4.ip_unprivileged_port_start instead of privilege. Text, JSON, SARIF, GitLab Code "
    "Quality and Checkstyle output.")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_MAINTAINER ${CPACK_PACKAGE_CONTACT})
set(CPACK_DEBIAN_PACKAGE_SECTION utils)
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE https://github.com/imglint/imglint)
# The Debian 12 runtime libraries of the -dev packages imglint builds against
# (scripts/quickstart.sh), plus the C/C++ runtime.
set(CPACK_DEBIAN_PACKAGE_DEPENDS
    "libarchive13, libyaml-cpp0.7, libre2-9, libssl3, libzstd1, libisal2, libcurl4, libstdc++6, libc6, libgcc-s1")
include(CPack)
