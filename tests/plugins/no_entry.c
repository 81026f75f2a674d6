/* A valid shared object that is not a Sluice plugin: no entry symbol. */
int not_a_sluice_plugin(void);
int not_a_sluice_plugin(void) { return 42; }
