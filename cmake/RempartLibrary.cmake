# rempart_library(NAME DEPS...) builds one domain folder (src/NAME) into a static library:
# every *.cc except *_test.cc is a source; every *_test.cc becomes a GoogleTest binary run by
# CTest. Files are globbed so that adding one needs no edit here.
function(rempart_library name)
  file(GLOB sources CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/*.cc)
  file(GLOB tests CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/*_test.cc)
  list(REMOVE_ITEM sources ${tests})
  if(sources)
    add_library(rempart_${name} STATIC ${sources})
    set(scope PUBLIC)
  else()  # a floor with only headers so far
    add_library(rempart_${name} INTERFACE)
    set(scope INTERFACE)
  endif()
  target_include_directories(rempart_${name} ${scope} ${PROJECT_SOURCE_DIR}/src)
  target_link_libraries(rempart_${name} ${scope} ${ARGN})
  foreach(test ${tests})
    get_filename_component(test_name ${test} NAME_WE)
    add_executable(${test_name} ${test})
    target_link_libraries(${test_name} PRIVATE rempart_${name} GTest::gtest GTest::gtest_main GTest::gmock)
    target_compile_definitions(${test_name} PRIVATE
      REMPART_SOURCE_DIR="${PROJECT_SOURCE_DIR}" REMPART_BINARY_DIR="${PROJECT_BINARY_DIR}")
    add_test(NAME ${test_name} COMMAND ${test_name})
    set_tests_properties(${test_name} PROPERTIES LABELS unit
      ENVIRONMENT "LSAN_OPTIONS=suppressions=${PROJECT_SOURCE_DIR}/lsan.supp")
  endforeach()
endfunction()
