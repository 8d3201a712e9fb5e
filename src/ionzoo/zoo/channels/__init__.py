"""The channel zoo: one module per family, every channel with its provenance.

>>> from ionzoo.channels import hh1952
>>> print(hh1952.na())          # doctest: +ELLIPSIS
Channel 'Na': ...
"""

from . import classic, destexhe, hay2011, hh1952, mainen1996, poirazi2003, prinz2003, traub

#: The channel zoo by name ("family.channel") → constructor with the published defaults.
REGISTRY = {
    # Na+ transient
    "hh1952.Na": hh1952.na,
    "traub.Na": traub.na,
    "hay2011.NaTa_t": hay2011.nata_t,
    "mainen1996.Na": mainen1996.na,
    "wang_buzsaki.Na": classic.wb_na,
    "rtm.Na": classic.rtm_na,
    "connor_stevens.Na": classic.cs_na,
    # Na+ persistent
    "hay2011.Nap_Et2": hay2011.nap_et2,
    "traub2003.NaP": traub.nap2003,
    "izhikevich.NaP": classic.izh_nap,
    # K+ delayed rectifier
    "hh1952.K": hh1952.k,
    "traub.Kd": traub.kd,
    "mainen1996.Kv": mainen1996.kv,
    "hay2011.SKv3_1": hay2011.skv3_1,
    "hay2011.K_Pst": hay2011.k_pst,
    "wang_buzsaki.K": classic.wb_k,
    "rtm.K": classic.rtm_k,
    "connor_stevens.K": classic.cs_k,
    "izhikevich.K": classic.izh_k,
    # K+ A-type
    "connor_stevens.A": classic.cs_a,
    "hay2011.K_Tst": hay2011.k_tst,
    # K+ M-type
    "destexhe.M": destexhe.im,
    "hay2011.Im": hay2011.im,
    "mainen1996.Km": mainen1996.km,
    "rtm.M": classic.rtm_m,
    # Ca2+ high-voltage (L)
    "destexhe.L": destexhe.ical,
    "hay2011.Ca_HVA": hay2011.ca_hva,
    "mainen1996.CaH": mainen1996.ca,
    # Ca2+ low-voltage (T)
    "destexhe.T": destexhe.it,
    "hay2011.Ca_LVAst": hay2011.ca_lvast,
    "destexhe1998.T": destexhe.it_ghk,
    # Ca2+-activated K+
    "hay2011.SK_E2": hay2011.sk_e2,
    "mainen1996.KCa": mainen1996.kca,
    "poirazi2003.kca": poirazi2003.kca,
    # HCN / Ih
    "hay2011.Ih": hay2011.ih,
    "thalamic.Ih": classic.thalamic_ih,
    # Morris-Lecar
    "morris_lecar.Ca": classic.ml_ca,
    "morris_lecar.K": classic.ml_k,
    # Prinz 2003 stomatogastric neuron
    "prinz2003.Na": prinz2003.na,
    "prinz2003.CaT": prinz2003.cat,
    "prinz2003.CaS": prinz2003.cas,
    "prinz2003.A": prinz2003.a,
    "prinz2003.KCa": prinz2003.kca,
    "prinz2003.Kd": prinz2003.kd,
    "prinz2003.H": prinz2003.h,
    "prinz2003.leak": prinz2003.leak,
    # leak
    "hh1952.leak": hh1952.leak,
}

__all__ = ["REGISTRY", "hh1952", "traub", "hay2011", "mainen1996", "destexhe", "classic",
           "poirazi2003", "prinz2003"]
