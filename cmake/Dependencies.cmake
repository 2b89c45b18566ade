# Every dependency comes from a Debian package; nothing is downloaded.
# apt-get install libeigen3-dev libcli11-dev nlohmann-json3-dev libfmt-dev
#                 libboost-math-dev catch2
find_package(Eigen3 3.3 REQUIRED NO_MODULE)
find_package(CLI11 2.1 REQUIRED)
find_package(nlohmann_json 3.10 REQUIRED)
find_package(fmt 8 REQUIRED)
find_package(Boost 1.74 REQUIRED)
