

#include "objects.h"
#include "synapses_classes.h"
#include "brianlib/clocks.h"
#include "brianlib/dynamic_array.h"
#include "brianlib/stdint_compat.h"
#include "network.h"
#include<random>
#include<vector>
#include<iostream>
#include<fstream>
#include<map>
#include<tuple>
#include<cstdlib>
#include<string>

namespace brian {

std::string results_dir = "results/";  // can be overwritten by --results_dir command line arg

// For multhreading, we need one generator for each thread. We also create a distribution for
// each thread, even though this is not strictly necessary for the uniform distribution, as
// the distribution is stateless.
std::vector< RandomGenerator > _random_generators;

//////////////// networks /////////////////
Network magicnetwork;

void set_variable_from_value(std::string varname, char* var_pointer, size_t size, char value) {
    #ifdef DEBUG
    std::cout << "Setting '" << varname << "' to " << (value == 1 ? "True" : "False") << std::endl;
    #endif
    std::fill(var_pointer, var_pointer+size, value);
}

template<class T> void set_variable_from_value(std::string varname, T* var_pointer, size_t size, T value) {
    #ifdef DEBUG
    std::cout << "Setting '" << varname << "' to " << value << std::endl;
    #endif
    std::fill(var_pointer, var_pointer+size, value);
}

template<class T> void set_variable_from_file(std::string varname, T* var_pointer, size_t data_size, std::string filename) {
    ifstream f;
    streampos size;
    #ifdef DEBUG
    std::cout << "Setting '" << varname << "' from file '" << filename << "'" << std::endl;
    #endif
    f.open(filename, ios::in | ios::binary | ios::ate);
    size = f.tellg();
    if (size != data_size) {
        std::cerr << "Error reading '" << filename << "': file size " << size << " does not match expected size " << data_size << std::endl;
        return;
    }
    f.seekg(0, ios::beg);
    if (f.is_open())
        f.read(reinterpret_cast<char *>(var_pointer), data_size);
    else
        std::cerr << "Could not read '" << filename << "'" << std::endl;
    if (f.fail())
        std::cerr << "Error reading '" << filename << "'" << std::endl;
}

//////////////// set arrays by name ///////
void set_variable_by_name(std::string name, std::string s_value) {
    size_t var_size;
    size_t data_size;
    // C-style or Python-style capitalization is allowed for boolean values
    if (s_value == "true" || s_value == "True")
        s_value = "1";
    else if (s_value == "false" || s_value == "False")
        s_value = "0";
    // non-dynamic arrays
    if (name == "neurongroup_1._spikespace") {
        var_size = 2;
        data_size = 2*sizeof(int32_t);
        if (s_value[0] == '-' || (s_value[0] >= '0' && s_value[0] <= '9')) {
            // set from single value
            set_variable_from_value<int32_t>(name, _array_neurongroup_1__spikespace, var_size, (int32_t)atoi(s_value.c_str()));

        } else {
            // set from file
            set_variable_from_file(name, _array_neurongroup_1__spikespace, data_size, s_value);
        }
        return;
    }
    if (name == "neurongroup_1.h") {
        var_size = 1;
        data_size = 1*sizeof(double);
        if (s_value[0] == '-' || (s_value[0] >= '0' && s_value[0] <= '9')) {
            // set from single value
            set_variable_from_value<double>(name, _array_neurongroup_1_h, var_size, (double)atof(s_value.c_str()));

        } else {
            // set from file
            set_variable_from_file(name, _array_neurongroup_1_h, data_size, s_value);
        }
        return;
    }
    if (name == "neurongroup_1.I") {
        var_size = 1;
        data_size = 1*sizeof(double);
        if (s_value[0] == '-' || (s_value[0] >= '0' && s_value[0] <= '9')) {
            // set from single value
            set_variable_from_value<double>(name, _array_neurongroup_1_I, var_size, (double)atof(s_value.c_str()));

        } else {
            // set from file
            set_variable_from_file(name, _array_neurongroup_1_I, data_size, s_value);
        }
        return;
    }
    if (name == "neurongroup_1.lastspike") {
        var_size = 1;
        data_size = 1*sizeof(double);
        if (s_value[0] == '-' || (s_value[0] >= '0' && s_value[0] <= '9')) {
            // set from single value
            set_variable_from_value<double>(name, _array_neurongroup_1_lastspike, var_size, (double)atof(s_value.c_str()));

        } else {
            // set from file
            set_variable_from_file(name, _array_neurongroup_1_lastspike, data_size, s_value);
        }
        return;
    }
    if (name == "neurongroup_1.m") {
        var_size = 1;
        data_size = 1*sizeof(double);
        if (s_value[0] == '-' || (s_value[0] >= '0' && s_value[0] <= '9')) {
            // set from single value
            set_variable_from_value<double>(name, _array_neurongroup_1_m, var_size, (double)atof(s_value.c_str()));

        } else {
            // set from file
            set_variable_from_file(name, _array_neurongroup_1_m, data_size, s_value);
        }
        return;
    }
    if (name == "neurongroup_1.n") {
        var_size = 1;
        data_size = 1*sizeof(double);
        if (s_value[0] == '-' || (s_value[0] >= '0' && s_value[0] <= '9')) {
            // set from single value
            set_variable_from_value<double>(name, _array_neurongroup_1_n, var_size, (double)atof(s_value.c_str()));

        } else {
            // set from file
            set_variable_from_file(name, _array_neurongroup_1_n, data_size, s_value);
        }
        return;
    }
    if (name == "neurongroup_1.not_refractory") {
        var_size = 1;
        data_size = 1*sizeof(char);
        if (s_value[0] == '-' || (s_value[0] >= '0' && s_value[0] <= '9')) {
            // set from single value
            set_variable_from_value(name, _array_neurongroup_1_not_refractory, var_size, (char)atoi(s_value.c_str()));

        } else {
            // set from file
            set_variable_from_file(name, _array_neurongroup_1_not_refractory, data_size, s_value);
        }
        return;
    }
    if (name == "neurongroup_1.v") {
        var_size = 1;
        data_size = 1*sizeof(double);
        if (s_value[0] == '-' || (s_value[0] >= '0' && s_value[0] <= '9')) {
            // set from single value
            set_variable_from_value<double>(name, _array_neurongroup_1_v, var_size, (double)atof(s_value.c_str()));

        } else {
            // set from file
            set_variable_from_file(name, _array_neurongroup_1_v, data_size, s_value);
        }
        return;
    }
    // dynamic arrays (1d)
    std::cerr << "Cannot set unknown variable '" << name << "'." << std::endl;
    exit(1);
}
//////////////// arrays ///////////////////
double * _array_defaultclock_dt;
const int _num__array_defaultclock_dt = 1;
double * _array_defaultclock_t;
const int _num__array_defaultclock_t = 1;
int64_t * _array_defaultclock_timestep;
const int _num__array_defaultclock_timestep = 1;
int32_t * _array_neurongroup_1__spikespace;
const int _num__array_neurongroup_1__spikespace = 2;
double * _array_neurongroup_1_h;
const int _num__array_neurongroup_1_h = 1;
int32_t * _array_neurongroup_1_i;
const int _num__array_neurongroup_1_i = 1;
double * _array_neurongroup_1_I;
const int _num__array_neurongroup_1_I = 1;
double * _array_neurongroup_1_lastspike;
const int _num__array_neurongroup_1_lastspike = 1;
double * _array_neurongroup_1_m;
const int _num__array_neurongroup_1_m = 1;
double * _array_neurongroup_1_n;
const int _num__array_neurongroup_1_n = 1;
char * _array_neurongroup_1_not_refractory;
const int _num__array_neurongroup_1_not_refractory = 1;
double * _array_neurongroup_1_v;
const int _num__array_neurongroup_1_v = 1;
int32_t * _array_spikemonitor_1__source_idx;
const int _num__array_spikemonitor_1__source_idx = 1;
int32_t * _array_spikemonitor_1_count;
const int _num__array_spikemonitor_1_count = 1;
int32_t * _array_spikemonitor_1_N;
const int _num__array_spikemonitor_1_N = 1;

//////////////// dynamic arrays 1d /////////

//////////////// dynamic arrays 2d /////////

/////////////// static arrays /////////////

//////////////// synapses /////////////////

//////////////// clocks ///////////////////
Clock defaultclock;  // attributes will be set in run.cpp

// Profiling information for each code object
}

void _init_arrays()
{
    using namespace brian;

    // Arrays initialized to 0
    _array_defaultclock_dt = new double[1];
    
    for(int i=0; i<1; i++) _array_defaultclock_dt[i] = 0;

    _array_defaultclock_t = new double[1];
    
    for(int i=0; i<1; i++) _array_defaultclock_t[i] = 0;

    _array_defaultclock_timestep = new int64_t[1];
    
    for(int i=0; i<1; i++) _array_defaultclock_timestep[i] = 0;

    _array_neurongroup_1__spikespace = new int32_t[2];
    
    for(int i=0; i<2; i++) _array_neurongroup_1__spikespace[i] = 0;

    _array_neurongroup_1_h = new double[1];
    
    for(int i=0; i<1; i++) _array_neurongroup_1_h[i] = 0;

    _array_neurongroup_1_i = new int32_t[1];
    
    for(int i=0; i<1; i++) _array_neurongroup_1_i[i] = 0;

    _array_neurongroup_1_I = new double[1];
    
    for(int i=0; i<1; i++) _array_neurongroup_1_I[i] = 0;

    _array_neurongroup_1_lastspike = new double[1];
    
    for(int i=0; i<1; i++) _array_neurongroup_1_lastspike[i] = 0;

    _array_neurongroup_1_m = new double[1];
    
    for(int i=0; i<1; i++) _array_neurongroup_1_m[i] = 0;

    _array_neurongroup_1_n = new double[1];
    
    for(int i=0; i<1; i++) _array_neurongroup_1_n[i] = 0;

    _array_neurongroup_1_not_refractory = new char[1];
    
    for(int i=0; i<1; i++) _array_neurongroup_1_not_refractory[i] = 0;

    _array_neurongroup_1_v = new double[1];
    
    for(int i=0; i<1; i++) _array_neurongroup_1_v[i] = 0;

    _array_spikemonitor_1__source_idx = new int32_t[1];
    
    for(int i=0; i<1; i++) _array_spikemonitor_1__source_idx[i] = 0;

    _array_spikemonitor_1_count = new int32_t[1];
    
    for(int i=0; i<1; i++) _array_spikemonitor_1_count[i] = 0;

    _array_spikemonitor_1_N = new int32_t[1];
    
    for(int i=0; i<1; i++) _array_spikemonitor_1_N[i] = 0;


    // Arrays initialized to an "arange"
    _array_neurongroup_1_i = new int32_t[1];
    
    for(int i=0; i<1; i++) _array_neurongroup_1_i[i] = 0 + i;

    _array_spikemonitor_1__source_idx = new int32_t[1];
    
    for(int i=0; i<1; i++) _array_spikemonitor_1__source_idx[i] = 0 + i;


    // static arrays

    // Random number generator states
    std::random_device rd;
    for (int i=0; i<1; i++)
        _random_generators.push_back(RandomGenerator());
}

void _load_arrays()
{
    using namespace brian;

}

void _write_arrays()
{
    using namespace brian;

    ofstream outfile__array_defaultclock_dt;
    outfile__array_defaultclock_dt.open(results_dir + "_array_defaultclock_dt_1978099143", ios::binary | ios::out);
    if(outfile__array_defaultclock_dt.is_open())
    {
        outfile__array_defaultclock_dt.write(reinterpret_cast<char*>(_array_defaultclock_dt), 1*sizeof(_array_defaultclock_dt[0]));
        outfile__array_defaultclock_dt.close();
    } else
    {
        std::cout << "Error writing output file for _array_defaultclock_dt." << endl;
    }
    ofstream outfile__array_defaultclock_t;
    outfile__array_defaultclock_t.open(results_dir + "_array_defaultclock_t_2669362164", ios::binary | ios::out);
    if(outfile__array_defaultclock_t.is_open())
    {
        outfile__array_defaultclock_t.write(reinterpret_cast<char*>(_array_defaultclock_t), 1*sizeof(_array_defaultclock_t[0]));
        outfile__array_defaultclock_t.close();
    } else
    {
        std::cout << "Error writing output file for _array_defaultclock_t." << endl;
    }
    ofstream outfile__array_defaultclock_timestep;
    outfile__array_defaultclock_timestep.open(results_dir + "_array_defaultclock_timestep_144223508", ios::binary | ios::out);
    if(outfile__array_defaultclock_timestep.is_open())
    {
        outfile__array_defaultclock_timestep.write(reinterpret_cast<char*>(_array_defaultclock_timestep), 1*sizeof(_array_defaultclock_timestep[0]));
        outfile__array_defaultclock_timestep.close();
    } else
    {
        std::cout << "Error writing output file for _array_defaultclock_timestep." << endl;
    }
    ofstream outfile__array_neurongroup_1__spikespace;
    outfile__array_neurongroup_1__spikespace.open(results_dir + "_array_neurongroup_1__spikespace_3155027917", ios::binary | ios::out);
    if(outfile__array_neurongroup_1__spikespace.is_open())
    {
        outfile__array_neurongroup_1__spikespace.write(reinterpret_cast<char*>(_array_neurongroup_1__spikespace), 2*sizeof(_array_neurongroup_1__spikespace[0]));
        outfile__array_neurongroup_1__spikespace.close();
    } else
    {
        std::cout << "Error writing output file for _array_neurongroup_1__spikespace." << endl;
    }
    ofstream outfile__array_neurongroup_1_h;
    outfile__array_neurongroup_1_h.open(results_dir + "_array_neurongroup_1_h_2886009379", ios::binary | ios::out);
    if(outfile__array_neurongroup_1_h.is_open())
    {
        outfile__array_neurongroup_1_h.write(reinterpret_cast<char*>(_array_neurongroup_1_h), 1*sizeof(_array_neurongroup_1_h[0]));
        outfile__array_neurongroup_1_h.close();
    } else
    {
        std::cout << "Error writing output file for _array_neurongroup_1_h." << endl;
    }
    ofstream outfile__array_neurongroup_1_i;
    outfile__array_neurongroup_1_i.open(results_dir + "_array_neurongroup_1_i_3674354357", ios::binary | ios::out);
    if(outfile__array_neurongroup_1_i.is_open())
    {
        outfile__array_neurongroup_1_i.write(reinterpret_cast<char*>(_array_neurongroup_1_i), 1*sizeof(_array_neurongroup_1_i[0]));
        outfile__array_neurongroup_1_i.close();
    } else
    {
        std::cout << "Error writing output file for _array_neurongroup_1_i." << endl;
    }
    ofstream outfile__array_neurongroup_1_I;
    outfile__array_neurongroup_1_I.open(results_dir + "_array_neurongroup_1_I_3765179005", ios::binary | ios::out);
    if(outfile__array_neurongroup_1_I.is_open())
    {
        outfile__array_neurongroup_1_I.write(reinterpret_cast<char*>(_array_neurongroup_1_I), 1*sizeof(_array_neurongroup_1_I[0]));
        outfile__array_neurongroup_1_I.close();
    } else
    {
        std::cout << "Error writing output file for _array_neurongroup_1_I." << endl;
    }
    ofstream outfile__array_neurongroup_1_lastspike;
    outfile__array_neurongroup_1_lastspike.open(results_dir + "_array_neurongroup_1_lastspike_1163579662", ios::binary | ios::out);
    if(outfile__array_neurongroup_1_lastspike.is_open())
    {
        outfile__array_neurongroup_1_lastspike.write(reinterpret_cast<char*>(_array_neurongroup_1_lastspike), 1*sizeof(_array_neurongroup_1_lastspike[0]));
        outfile__array_neurongroup_1_lastspike.close();
    } else
    {
        std::cout << "Error writing output file for _array_neurongroup_1_lastspike." << endl;
    }
    ofstream outfile__array_neurongroup_1_m;
    outfile__array_neurongroup_1_m.open(results_dir + "_array_neurongroup_1_m_3698325164", ios::binary | ios::out);
    if(outfile__array_neurongroup_1_m.is_open())
    {
        outfile__array_neurongroup_1_m.write(reinterpret_cast<char*>(_array_neurongroup_1_m), 1*sizeof(_array_neurongroup_1_m[0]));
        outfile__array_neurongroup_1_m.close();
    } else
    {
        std::cout << "Error writing output file for _array_neurongroup_1_m." << endl;
    }
    ofstream outfile__array_neurongroup_1_n;
    outfile__array_neurongroup_1_n.open(results_dir + "_array_neurongroup_1_n_1164355350", ios::binary | ios::out);
    if(outfile__array_neurongroup_1_n.is_open())
    {
        outfile__array_neurongroup_1_n.write(reinterpret_cast<char*>(_array_neurongroup_1_n), 1*sizeof(_array_neurongroup_1_n[0]));
        outfile__array_neurongroup_1_n.close();
    } else
    {
        std::cout << "Error writing output file for _array_neurongroup_1_n." << endl;
    }
    ofstream outfile__array_neurongroup_1_not_refractory;
    outfile__array_neurongroup_1_not_refractory.open(results_dir + "_array_neurongroup_1_not_refractory_897855399", ios::binary | ios::out);
    if(outfile__array_neurongroup_1_not_refractory.is_open())
    {
        outfile__array_neurongroup_1_not_refractory.write(reinterpret_cast<char*>(_array_neurongroup_1_not_refractory), 1*sizeof(_array_neurongroup_1_not_refractory[0]));
        outfile__array_neurongroup_1_not_refractory.close();
    } else
    {
        std::cout << "Error writing output file for _array_neurongroup_1_not_refractory." << endl;
    }
    ofstream outfile__array_neurongroup_1_v;
    outfile__array_neurongroup_1_v.open(results_dir + "_array_neurongroup_1_v_1443512128", ios::binary | ios::out);
    if(outfile__array_neurongroup_1_v.is_open())
    {
        outfile__array_neurongroup_1_v.write(reinterpret_cast<char*>(_array_neurongroup_1_v), 1*sizeof(_array_neurongroup_1_v[0]));
        outfile__array_neurongroup_1_v.close();
    } else
    {
        std::cout << "Error writing output file for _array_neurongroup_1_v." << endl;
    }
    ofstream outfile__array_spikemonitor_1__source_idx;
    outfile__array_spikemonitor_1__source_idx.open(results_dir + "_array_spikemonitor_1__source_idx_3609292218", ios::binary | ios::out);
    if(outfile__array_spikemonitor_1__source_idx.is_open())
    {
        outfile__array_spikemonitor_1__source_idx.write(reinterpret_cast<char*>(_array_spikemonitor_1__source_idx), 1*sizeof(_array_spikemonitor_1__source_idx[0]));
        outfile__array_spikemonitor_1__source_idx.close();
    } else
    {
        std::cout << "Error writing output file for _array_spikemonitor_1__source_idx." << endl;
    }
    ofstream outfile__array_spikemonitor_1_count;
    outfile__array_spikemonitor_1_count.open(results_dir + "_array_spikemonitor_1_count_3862916462", ios::binary | ios::out);
    if(outfile__array_spikemonitor_1_count.is_open())
    {
        outfile__array_spikemonitor_1_count.write(reinterpret_cast<char*>(_array_spikemonitor_1_count), 1*sizeof(_array_spikemonitor_1_count[0]));
        outfile__array_spikemonitor_1_count.close();
    } else
    {
        std::cout << "Error writing output file for _array_spikemonitor_1_count." << endl;
    }
    ofstream outfile__array_spikemonitor_1_N;
    outfile__array_spikemonitor_1_N.open(results_dir + "_array_spikemonitor_1_N_2390248205", ios::binary | ios::out);
    if(outfile__array_spikemonitor_1_N.is_open())
    {
        outfile__array_spikemonitor_1_N.write(reinterpret_cast<char*>(_array_spikemonitor_1_N), 1*sizeof(_array_spikemonitor_1_N[0]));
        outfile__array_spikemonitor_1_N.close();
    } else
    {
        std::cout << "Error writing output file for _array_spikemonitor_1_N." << endl;
    }


    // Write last run info to disk
    ofstream outfile_last_run_info;
    outfile_last_run_info.open(results_dir + "last_run_info.txt", ios::out);
    if(outfile_last_run_info.is_open())
    {
        outfile_last_run_info << (Network::_last_run_time) << " " << (Network::_last_run_completed_fraction) << std::endl;
        outfile_last_run_info.close();
    } else
    {
        std::cout << "Error writing last run info to file." << std::endl;
    }
}

void _dealloc_arrays()
{
    using namespace brian;


    // static arrays
}

