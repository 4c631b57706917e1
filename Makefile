# Shortcuts for the two commands in README.md.
.PHONY: run test bench
run:
	bash scripts/run.sh
test:
	bash scripts/test.sh
bench:
	bash bench/run.sh
