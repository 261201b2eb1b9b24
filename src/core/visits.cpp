#include "patron/visits.hpp"
