// libxlsxwriter, which writes report.xlsx. Its pkg-config file only adds -lz, which the shared library links itself.
#include <xlsxwriter.h>
