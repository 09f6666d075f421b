v
"servek

xPlaceholder

callStatefulPartitionedCall6
4

__inference_call_7
pyPyFunc
idIdentity