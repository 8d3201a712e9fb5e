"""The zoo: channel families (:mod:`ionzoo.zoo.channels`) and canonical models
(:mod:`ionzoo.zoo.models`), data only, each entry with its source."""
