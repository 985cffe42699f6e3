/*
 * capture_vectors.h — one sealed chunk of the 1.0 extension's capture queue
 * (transaction 773, chunk 0; the registration's entry id 9), captured by
 * test/unit/capture_vectors.sql; salt key: the bytes 0 to 31.
 */
#define CAPTURE_XID 773
#define CAPTURE_CHUNK 0
#define CAPTURE_REGISTRATION 9
static const char capture_box_hex[] =
	"96bac3c12c2913824cee0b88c06080375e2eaa18d58d37b0f3e96177d719e05d6fd8774d3fe82103a50879ab516b8cc1"
	"f54fa0c6645d85cd8523016806ebf0e1b36b51d10a178df7b027ca030b290b33c8e3de5c0068da0c298b93b96a75eb86"
	"46e3c9d6bd6ff5f17d2cefdb449a8c940ba0860513c6a0ed9bb07d0562163a07295894d213bbdce0c896f7acd94835f8"
	"cba38626dd36824eb83d83c648cb6bea88a46e445f449d0c115b41169796be7580f7be6c023920b685cd0c2889be975c"
	"a159fc639132f1ea731e6d74ec22815c55ccee73a1b777054d9122e749295195d8555320c632a06f6f517c0aafe80935"
	"de7ee4a6150f3bf50aa4334aac07391ef9d0aaba4cba6c54842d9994aae8612d0a0498564af9343b955bee35314fc10c"
	"ac8884e3fb8fb3cb31ea6f34d84a7fcc2c515cdb20c4a6654fdbdf3d38c865a10c76768a13d21812d8292eb037d39c7a"
	"f1d0afb1d4b9bba856651dbbab76413bb48a636271f06948cbf1655e1724e0e05482c280aaa0af3bf1be56b6926de4e8";
