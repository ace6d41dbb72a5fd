/* linernotes: minimp3 includes <stdlib.h> but uses nothing from it. */
