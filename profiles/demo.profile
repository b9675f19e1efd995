ward-profile 1
# The teaching demo: the defaults, with a scratch directory to write to.
include default.profile
tmpfs /scratch:size=1M
env DEMO=ward
