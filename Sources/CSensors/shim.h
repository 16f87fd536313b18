#ifndef PULSE_CSENSORS_SHIM_H
#define PULSE_CSENSORS_SHIM_H

#include <sensors/sensors.h>
#include <dlfcn.h>

/* Function pointer types for the libsensors entry points the agent resolves with dlsym. */
typedef int (*pulse_sensors_init_fn)(FILE *input);
typedef void (*pulse_sensors_cleanup_fn)(void);
typedef const sensors_chip_name *(*pulse_sensors_get_detected_chips_fn)(const sensors_chip_name *match, int *nr);
typedef const sensors_feature *(*pulse_sensors_get_features_fn)(const sensors_chip_name *name, int *nr);
typedef const sensors_subfeature *(*pulse_sensors_get_all_subfeatures_fn)(const sensors_chip_name *name,
                                                                          const sensors_feature *feature, int *nr);
typedef const sensors_subfeature *(*pulse_sensors_get_subfeature_fn)(const sensors_chip_name *name,
                                                                    const sensors_feature *feature,
                                                                    sensors_subfeature_type type);
typedef int (*pulse_sensors_get_value_fn)(const sensors_chip_name *name, int subfeat_nr, double *value);
typedef char *(*pulse_sensors_get_label_fn)(const sensors_chip_name *name, const sensors_feature *feature);
typedef int (*pulse_sensors_snprintf_chip_name_fn)(char *str, size_t size, const sensors_chip_name *chip);

#endif
