// The one TU that compiles respio's non-template code for the tests (RESPIO_SEPARATE_COMPILATION).
#include <respio/src.hpp>
