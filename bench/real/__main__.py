from bench.real.run import main

main()
