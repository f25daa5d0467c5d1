/* sd-report.c: placeholder until the report module lands (being written now). */
#include "sd-report.h"
