#ifndef _INCLUDED_spikemonitor_1_codeobject
#define _INCLUDED_spikemonitor_1_codeobject

void _run_spikemonitor_1_codeobject();

void _debugmsg_spikemonitor_1_codeobject();

#endif
