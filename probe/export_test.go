package probe

// AddedRoom is how many formats register without allocating.
const AddedRoom = len(addedRoom)
