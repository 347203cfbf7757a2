from bench.e2e.run import main

if __name__ == "__main__":
    main()
