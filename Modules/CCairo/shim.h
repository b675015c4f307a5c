// cairo (libcairo2-dev): image surfaces with PNG output, and the SVG and PDF surfaces.
#include <cairo.h>
#include <cairo-svg.h>
#include <cairo-pdf.h>
