# libnfc with the PN532 UART driver only (a reader on a COM port): the USB
# drivers need libusb-win32 and the PC/SC ones duplicate the desk's own
# PC/SC path.  libnfc installs no pkg-config file on Windows: one is
# written.  No configuration files: ShelterDesk names its device itself.
cmake_build -DLIBNFC_DRIVER_PN532_UART=ON -DLIBNFC_DRIVER_ARYGON=OFF -DLIBNFC_DRIVER_ACR122_USB=OFF \
  -DLIBNFC_DRIVER_PN53X_USB=OFF -DLIBNFC_DRIVER_PCSC=OFF -DLIBNFC_DRIVER_ACR122_PCSC=OFF \
  -DLIBNFC_DRIVER_PN532_SPI=OFF -DLIBNFC_DRIVER_PN532_I2C=OFF -DLIBNFC_DRIVER_PN71XX=OFF \
  -DBUILD_UTILS=OFF -DBUILD_EXAMPLES=OFF -DLIBNFC_LOG=OFF -DLIBNFC_CONFFILES_MODE=OFF
write_pc libnfc 1.8.0 -lnfc
