.,

a
VariableV2


f
readReadFile