v
"servek

xPlacehol#er

callStatefulPartitionedCall6
4

__iAference_call_7
pyPyFu`c
idI
ty