from haat.cli import main

main()
